import { randomUUID } from "node:crypto";
import type { QuestionRef } from "../content/bank.js";
import type { Random } from "../interview/selection.js";
import type { AnswerOutcome, CodeSubmission, HintOutcome, InterviewService, ModelAnswerOutcome } from "../interview/service.js";
import type { FocusRequest } from "../schedule/focus.js";
import { nextSlot } from "../schedule/slots.js";
import { localParts } from "../schedule/zones.js";
import type { Doc } from "../storage/documents.js";
import type { ThreadKey, ThreadRecord } from "../store/records.js";
import { buildDebrief, pickFocus } from "./debrief.js";
import { LoopAlreadyActiveError, NoActiveLoopError } from "./errors.js";
import type { LoopStore } from "./loop-store.js";
import { planLoop } from "./plan.js";
import type { Debrief, LoopDoc, LoopPacing, LoopTurn } from "./records.js";
import { KeyedSerial } from "../serial.js";

/** Follow-up probes per question after the first answer: the seed's design question has three. */
export const DEFAULT_LOOP_FOLLOW_UP_DEPTH = 3;

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
const MAX_QUOTE = 280;

type DebriefRound = Debrief["rounds"][number];

/** Where "things to practise next" go: the daily scheduler (DailyScheduler.addFocus) implements it. */
export interface FocusSink {
  addFocus(userId: string, items: readonly FocusRequest[], source: string): Promise<void>;
}

export interface LoopServiceOptions {
  interview: InterviewService;
  store: LoopStore;
  focus?: FocusSink;
  followUpDepth?: number;
  now?: () => Date;
  random?: Random;
  logger?: { warn(message: string): void };
}

/** Where a reply in a loop thread landed. */
export type LoopThreadState =
  | { kind: "current"; loop: LoopDoc; roundIndex: number; questionIndex: number; thread: ThreadRecord }
  /** The thread of a round that is over (the loop goes on in a later round's thread). */
  | { kind: "past-round"; loop: LoopDoc; roundIndex: number }
  /** The loop completed or was abandoned. */
  | { kind: "ended"; loop: LoopDoc };

export type CurrentState = Extract<LoopThreadState, { kind: "current" }>;

export type LoopAnswerResult =
  | { kind: "answered"; outcome: AnswerOutcome; loop: LoopDoc; followUpPending: boolean }
  /** The model answer was shown for this question, so further replies are not graded. */
  | { kind: "after-model-answer" }
  /** The question was answered and every follow-up asked: the candidate moves on with `next`. */
  | { kind: "question-done" };

/** What happens after `next` / `skip`. */
export type LoopStep =
  /** The next question of the same round, to be posted in the round's thread (already recorded). */
  | { kind: "question"; loop: LoopDoc; roundIndex: number; questionIndex: number; ref: QuestionRef; thread: ThreadKey }
  /** The round is over; the next round is due now (`dueAt` absent) or at `dueAt` (daily pacing). */
  | { kind: "round-ended"; loop: LoopDoc; roundIndex: number; next: { roundIndex: number; dueAt?: Date } }
  | { kind: "completed"; loop: LoopDoc; debrief: Debrief };

/** A round ready to be posted: its first question opens the round's thread. */
export interface RoundToPost {
  loop: LoopDoc;
  roundIndex: number;
  ref: QuestionRef;
}

export interface DueRound {
  userId: string;
  loopId: string;
  dueAt: Date;
}

/**
 * The mock onsite, independent of any chat platform: plans the rounds, runs each round's questions in
 * one thread with follow-up probes and hints (grading goes through InterviewService), keeps the state
 * on disk so a loop survives restarts, and writes the debrief at the end.
 *
 * These are the loop's steps; LoopConductor (conductor.ts) decides which to take for a reply, a command
 * or a round falling due, and runs them — and the showing of their outputs — inside `exclusive(userId, …)`,
 * so replies typed in quick succession are handled in order.
 */
export class LoopService {
  readonly store: LoopStore;
  readonly followUpDepth: number;
  private readonly interview: InterviewService;
  private readonly now: () => Date;
  private readonly random: Random;
  private readonly serial = new KeyedSerial();

  constructor(private readonly options: LoopServiceOptions) {
    this.store = options.store;
    this.interview = options.interview;
    this.followUpDepth = options.followUpDepth ?? DEFAULT_LOOP_FOLLOW_UP_DEPTH;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
  }

  get bank() {
    return this.interview.bank;
  }

  exclusive<T>(userId: string, task: () => Promise<T>): Promise<T> {
    return this.serial.run(userId, task);
  }

  // ---------- reading ----------

  async active(userId: string): Promise<LoopDoc | undefined> {
    const index = await this.store.peekIndex(userId);
    return index?.activeLoopId ? this.store.peek(userId, index.activeLoopId) : undefined;
  }

  get(userId: string, loopId: string): Promise<LoopDoc | undefined> {
    return this.store.peek(userId, loopId);
  }

  /** This person's loops, latest first. */
  async list(userId: string) {
    const index = await this.store.peekIndex(userId);
    return [...(index?.loops ?? [])].reverse();
  }

  /** Loops waiting for their next round (start-up of the daily pacer). */
  async waitingRounds(): Promise<DueRound[]> {
    const due: DueRound[] = [];
    for (const index of await this.store.allIndices()) {
      const active = index.loops.find((l) => l.id === index.activeLoopId);
      if (active?.nextRoundDueAt) due.push({ userId: index.userId, loopId: active.id, dueAt: new Date(active.nextRoundDueAt) });
    }
    return due;
  }

  /**
   * Reserves posting the loop's waiting round for `owner` until `leaseUntil` (several instances): "held"
   * while another owner's lease lives, "gone" when no round is waiting any more (posted, or the loop ended).
   */
  async claimRound(
    due: DueRound,
    owner: string,
    now: Date,
    leaseUntil: Date,
  ): Promise<{ kind: "claimed" } | { kind: "held"; until: Date } | { kind: "gone" }> {
    const result = await this.store.update(due.userId, due.loopId, (loop) => {
      const round = loop.rounds[loop.currentRound];
      if (loop.status !== "active" || round?.status !== "pending") return { kind: "gone" as const };
      const claim = loop.roundClaim;
      if (claim && claim.roundIndex === loop.currentRound && claim.owner !== owner && new Date(claim.leaseUntil) > now) {
        return { kind: "held" as const, until: new Date(claim.leaseUntil) };
      }
      loop.roundClaim = { roundIndex: loop.currentRound, owner, leaseUntil: leaseUntil.toISOString() };
      return { kind: "claimed" as const };
    });
    return result ?? { kind: "gone" };
  }

  // ---------- starting and posting rounds ----------

  /**
   * Plans and stores a new loop. Daily pacing needs the person's zone: rounds then come at the local
   * time the loop was started. Throws LoopAlreadyActiveError while another loop is running.
   */
  async start(input: { userId: string; withHm: boolean; pacing: { kind: "all" } | { kind: "daily"; tz: string }; channel?: string }): Promise<LoopDoc> {
    const { userId } = input;
    const running = await this.active(userId);
    if (running) throw new LoopAlreadyActiveError(running);
    const now = this.now();
    const index = await this.store.peekIndex(userId);
    const history = await this.interview.store.peekUser(userId);
    const plan = planLoop({
      bank: this.bank,
      withHm: input.withHm,
      asked: history?.asked ?? [],
      firstLoop: (index?.loops.length ?? 0) === 0,
      random: this.random,
    });
    let pacing: LoopPacing = { kind: "all" };
    if (input.pacing.kind === "daily") {
      const [hour, minute] = localParts(now, input.pacing.tz).time.split(":").map(Number) as [number, number];
      pacing = { kind: "daily", tz: input.pacing.tz, time: { hour, minute } };
    }
    const loop: LoopDoc = {
      version: 1,
      id: `${now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}-${randomUUID().slice(0, 6)}`,
      userId,
      createdAt: now.toISOString(),
      withHm: input.withHm,
      pacing,
      followUpDepth: this.followUpDepth,
      channel: input.channel,
      status: "active",
      currentRound: 0,
      rounds: plan.map((p) => ({
        roundId: p.round.id,
        timeGuideMinutes: p.round.timeGuideMinutes,
        status: "pending" as const,
        current: 0,
        questions: p.questions.map((ref) => ({ questionId: ref.question.id, status: "pending" as const, hintsTaken: 0, turns: [] })),
      })),
    };
    const doc = await this.store.create(loop);
    await this.store.save(doc);
    return doc.data;
  }

  /** The round to post now, if the loop is waiting for one and it is due (or `force`: "take the next round now"). */
  roundToPost(loop: LoopDoc, options: { force?: boolean } = {}): RoundToPost | undefined {
    if (loop.status !== "active") return undefined;
    const round = loop.rounds[loop.currentRound];
    if (!round || round.status !== "pending") return undefined;
    if (!options.force && loop.nextRoundDueAt && new Date(loop.nextRoundDueAt) > this.now()) return undefined;
    return { loop, roundIndex: loop.currentRound, ref: this.bank.get(round.questions[0]!.questionId) };
  }

  /** Records that a round's first message was posted at `key`: replies there are answers to its first question. */
  async roundPosted(post: RoundToPost, key: ThreadKey, audience: "dm" | "channel" = "dm"): Promise<LoopDoc> {
    const doc = await this.mustOpen(post.loop.userId, post.loop.id);
    const round = doc.data.rounds[post.roundIndex]!;
    const at = this.now().toISOString();
    await this.interview.questionPosted({ key, ref: post.ref, askedBy: doc.data.userId, audience, origin: "loop", loopId: doc.data.id });
    round.status = "active";
    round.postedAt = at;
    round.thread = { channel: key.channel, ts: key.ts };
    round.current = 0;
    round.questions[0]!.status = "active";
    round.questions[0]!.askedAt = at;
    doc.data.nextRoundDueAt = undefined;
    if (!doc.data.channel) doc.data.channel = key.channel;
    await this.store.save(doc);
    return doc.data;
  }

  // ---------- in the round's thread ----------

  /** Which loop, round and question a loop thread belongs to (undefined when the loop file is gone). */
  async locate(thread: ThreadRecord): Promise<LoopThreadState | undefined> {
    if (thread.origin !== "loop" || !thread.loopId) return undefined;
    const loop = await this.store.peek(thread.askedBy, thread.loopId);
    if (!loop) return undefined;
    if (loop.status !== "active") return { kind: "ended", loop };
    const roundIndex = loop.rounds.findIndex((r) => r.thread?.channel === thread.channel && r.thread.ts === thread.ts);
    const round = loop.rounds[roundIndex];
    if (!round || roundIndex !== loop.currentRound || round.status !== "active") return { kind: "past-round", loop, roundIndex };
    return { kind: "current", loop, roundIndex, questionIndex: round.current, thread };
  }

  /** The thread record at `key` (any origin), read afresh. */
  thread(key: ThreadKey): Promise<ThreadRecord | undefined> {
    return this.interview.thread(key);
  }

  /** `locate` for the thread at `key`, read afresh (undefined when it is not a loop thread). */
  async locateKey(key: ThreadKey): Promise<LoopThreadState | undefined> {
    const thread = await this.interview.thread(key);
    return thread ? this.locate(thread) : undefined;
  }

  /**
   * Grades an answer to the current question (or its pending follow-up) and records the turn. With `answerId` (the inbox's id for the reply) a reply
   * processed again after a crash is not graded twice, and its turn is recorded once.
   */
  async answer(state: CurrentState, input: { text: string; code?: CodeSubmission; answerId?: string }): Promise<LoopAnswerResult> {
    const doc = await this.mustOpen(state.loop.userId, state.loop.id);
    const question = doc.data.rounds[state.roundIndex]!.questions[state.questionIndex]!;
    const stored = input.answerId ? await this.interview.store.findAnswer(doc.data.userId, input.answerId) : undefined;
    if (!stored) {
      if (question.modelAnswerShownAt) return { kind: "after-model-answer" };
      const current = (await this.interview.thread(state.thread)) ?? state.thread;
      const participant = current.participants[doc.data.userId];
      if (participant && participant.turns > 0 && !participant.pendingFollowUp) return { kind: "question-done" };
    }
    const thread = (await this.interview.thread(state.thread)) ?? state.thread;
    const outcome = await this.interview.answer({
      thread,
      userId: doc.data.userId,
      text: input.text,
      code: input.code,
      followUpDepth: doc.data.followUpDepth,
      answerId: input.answerId,
    });
    if (outcome.kind === "graded" && !question.turns.some((t) => t.answerId === outcome.answer.id)) {
      question.turns.push(toTurn(outcome));
      if (outcome.codeRun && !question.code) {
        const { language, verdict, passed, total } = outcome.codeRun.summary;
        question.code = { language, verdict, passed, total };
      }
      await this.store.save(doc);
    }
    return { kind: "answered", outcome, loop: doc.data, followUpPending: outcome.kind === "graded" && Boolean(outcome.nextFollowUp) };
  }

  /** The next rung of the hint ladder; recorded so the debrief shows it and the related dimension is capped. */
  async hint(state: CurrentState): Promise<HintOutcome | undefined> {
    const outcome = await this.interview.hint(state.thread, state.loop.userId);
    if (outcome?.kind === "hint") {
      const doc = await this.mustOpen(state.loop.userId, state.loop.id);
      doc.data.rounds[state.roundIndex]!.questions[state.questionIndex]!.hintsTaken = outcome.index;
      await this.store.save(doc);
    }
    return outcome;
  }

  /** The model answer (reference + what this candidate missed), only after an answer; later replies to the question are not graded. */
  async modelAnswer(state: CurrentState): Promise<ModelAnswerOutcome | undefined> {
    const outcome = await this.interview.modelAnswer(state.thread, state.loop.userId);
    if (outcome?.kind === "model-answer") {
      const doc = await this.mustOpen(state.loop.userId, state.loop.id);
      const question = doc.data.rounds[state.roundIndex]!.questions[state.questionIndex]!;
      question.modelAnswerShownAt ??= this.now().toISOString();
      await this.store.save(doc);
    }
    return outcome;
  }

  /**
   * `next` or `skip`: closes the current question (answered if it has a graded reply, else skipped) and
   * moves on — to the round's next question in the same thread, to the next round, or to the debrief.
   */
  async advance(state: CurrentState): Promise<LoopStep> {
    const doc = await this.mustOpen(state.loop.userId, state.loop.id);
    const loop = doc.data;
    const round = loop.rounds[state.roundIndex]!;
    const now = this.now();
    const question = round.questions[state.questionIndex]!;
    question.status = question.turns.length > 0 ? "answered" : "skipped";
    question.endedAt = now.toISOString();

    const nextIndex = state.questionIndex + 1;
    if (nextIndex < round.questions.length) {
      const next = round.questions[nextIndex]!;
      const ref = this.bank.get(next.questionId);
      // The thread now stands for the next question: replies there are graded against it.
      await this.interview.store.updateThread(round.thread!, (t) => {
        t.questionId = ref.question.id;
        t.roundId = ref.round.id;
        t.participants = {};
      });
      await this.interview.store.recordAsked(loop.userId, ref.question.id, now);
      round.current = nextIndex;
      next.status = "active";
      next.askedAt = now.toISOString();
      await this.store.save(doc);
      return { kind: "question", loop, roundIndex: state.roundIndex, questionIndex: nextIndex, ref, thread: round.thread! };
    }

    round.status = "done";
    round.endedAt = now.toISOString();
    await this.closeThread(round.thread);
    if (state.roundIndex + 1 < loop.rounds.length) {
      loop.currentRound = state.roundIndex + 1;
      const dueAt = this.nextRoundDue(loop, round.postedAt ? new Date(round.postedAt) : now, now);
      loop.nextRoundDueAt = dueAt?.toISOString();
      await this.store.save(doc);
      return { kind: "round-ended", loop, roundIndex: state.roundIndex, next: { roundIndex: loop.currentRound, ...(dueAt ? { dueAt } : {}) } };
    }

    loop.status = "completed";
    loop.endedAt = now.toISOString();
    const debrief = buildDebrief(this.bank, loop, now);
    loop.debrief = debrief;
    await this.store.save(doc);
    await this.feedFocus(loop, debrief);
    return { kind: "completed", loop, debrief };
  }

  /**
   * A round's scores as the debrief would show them, and the two things to practise from it (undefined
   * when nothing in the round was graded or skipped): what the console shows between rounds.
   */
  roundSummary(loop: LoopDoc, roundIndex: number): { round: DebriefRound; focus: Debrief["focus"] } | undefined {
    const roundId = loop.rounds[roundIndex]?.roundId;
    const round = buildDebrief(this.bank, loop, this.now()).rounds.find((r) => r.roundId === roundId);
    return round ? { round, focus: pickFocus(this.bank, [round], 2) } : undefined;
  }

  /** Ends the running loop early; recorded with its time, and a partial debrief of the rounds sat. */
  async abandon(userId: string): Promise<LoopDoc> {
    const active = await this.active(userId);
    if (!active) throw new NoActiveLoopError(userId);
    const doc = await this.mustOpen(userId, active.id);
    const loop = doc.data;
    const now = this.now();
    loop.status = "abandoned";
    loop.endedAt = now.toISOString();
    loop.nextRoundDueAt = undefined;
    const round = loop.rounds[loop.currentRound];
    if (round?.status === "active") await this.closeThread(round.thread);
    loop.debrief = buildDebrief(this.bank, loop, now);
    await this.store.save(doc);
    return loop;
  }

  // ---------- helpers ----------

  /**
   * Daily pacing: the first time the loop's local start time comes round after both now and the
   * previous round's posting — i.e. the next day at the same local time, or the day after if the round
   * ran past that time. All-at-once pacing: undefined (now).
   */
  private nextRoundDue(loop: LoopDoc, previousPostedAt: Date, now: Date): Date | undefined {
    if (loop.pacing.kind !== "daily") return undefined;
    const after = new Date(Math.max(previousPostedAt.getTime(), now.getTime()));
    return nextSlot({ time: loop.pacing.time, days: EVERY_DAY }, loop.pacing.tz, after)?.at;
  }

  private async closeThread(key: ThreadKey | undefined): Promise<void> {
    if (key) await this.interview.store.updateThread(key, (t) => void (t.status = "closed"));
  }

  private async feedFocus(loop: LoopDoc, debrief: Debrief): Promise<void> {
    if (!this.options.focus || debrief.focus.length === 0) return;
    try {
      await this.options.focus.addFocus(
        loop.userId,
        debrief.focus.map((f) => ({ roundId: f.roundId, dimensionId: f.dimensionId })),
        `mock loop ${loop.id}`,
      );
    } catch (error) {
      this.options.logger?.warn(`loop: could not save focus items for ${loop.userId}: ${(error as Error).message}`);
    }
  }

  private async mustOpen(userId: string, loopId: string): Promise<Doc<LoopDoc>> {
    const doc = await this.store.open(userId, loopId);
    if (!doc) throw new Error(`loop ${loopId} of ${userId} not found`);
    return doc;
  }
}

function toTurn(outcome: Extract<AnswerOutcome, { kind: "graded" }>): LoopTurn {
  const { answer, critique } = outcome;
  return {
    answerId: answer.id,
    ...(answer.followUp ? { followUp: answer.followUp } : {}),
    at: answer.createdAt,
    grader: critique.grader,
    overall: critique.overall,
    signal: critique.signal,
    hintsUsed: answer.hintsUsed,
    dimensions: critique.dimensions.map((d) => ({
      id: d.id,
      score: d.score,
      ...(d.cappedAt !== undefined ? { cappedAt: d.cappedAt } : {}),
      ...(d.evidence[0] ? { evidence: d.evidence[0].slice(0, MAX_QUOTE) } : {}),
    })),
    strengths: critique.strengths.slice(0, 3),
    gaps: critique.gaps.slice(0, 3),
  };
}
