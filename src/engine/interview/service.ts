import type { QuestionBank, QuestionRef } from "../content/bank.js";
import type { Language, Question } from "../content/schema.js";
import type { CodeRunSummary, Critique, Grader } from "../grading/types.js";
import type { InterviewStore } from "../store/interview-store.js";
import type { AnswerRecord, ThreadKey, ThreadRecord } from "../store/records.js";
import type { Judge, JudgeResult } from "../judge/index.js";
import { KeyedSerial } from "../serial.js";
import { UnknownRoundError } from "./errors.js";
import { pickQuestion, type Random } from "./selection.js";
import { referenceAnswerFor } from "../content/reference-answer.js";
import { noTelemetry, type Telemetry } from "../telemetry.js";

export interface CodeSubmission {
  language: Language;
  source: string;
}

/** The part of the code judge the interview flow needs (see src/engine/judge). */
export type CodeRunner = Pick<Judge, "available" | "reason" | "judge">;

export interface CodeRunOutcome {
  summary: CodeRunSummary;
  result: JudgeResult;
}

export type AnswerOutcome =
  | {
      kind: "graded";
      thread: ThreadRecord;
      answer: AnswerRecord;
      critique: Critique;
      /** The probe the bot asks next; undefined when the follow-up depth is reached. */
      nextFollowUp?: string;
      codeRun?: CodeRunOutcome;
      /** Set when a coding answer was graded as text because code execution is off. */
      codeExecutionOff?: string;
      /** True when this answer had been graded and stored before (a reply processed again after a crash). */
      recovered?: boolean;
    }
  | { kind: "empty" }
  | { kind: "too-long"; length: number; limit: number }
  | { kind: "needs-code"; question: Question }
  | { kind: "closed"; thread: ThreadRecord };

export interface AnswerInput {
  thread: ThreadRecord;
  userId: string;
  text: string;
  code?: CodeSubmission;
  /** Overrides the service's follow-up depth for this thread (a mock loop sets its own). */
  followUpDepth?: number;
  /**
   * The answer's id, fixed by whoever received the reply (the inbox). Grading the same id again — after a
   * crash or a retry — grades nothing: the stored answer comes back and the thread is brought up to date.
   */
  answerId?: string;
}

export type HintOutcome =
  | { kind: "hint"; text: string; index: number; total: number }
  | { kind: "no-more-hints"; total: number };

export type ModelAnswerOutcome =
  | { kind: "model-answer"; question: Question; referenceAnswer: string; missedPoints: string[] }
  | { kind: "answer-first" };

export interface InterviewServiceOptions {
  bank: QuestionBank;
  store: InterviewStore;
  grader: Grader;
  code?: CodeRunner;
  maxAnswerChars: number;
  /** How many follow-up probes the bot asks after the first answer. */
  followUpDepth?: number;
  now?: () => Date;
  random?: Random;
  /** Counts answers graded (default: nothing). */
  telemetry?: Telemetry;
}

/**
 * The interview flow, independent of any chat platform: choose a question, remember where it was
 * asked, grade replies (running code for coding questions), give hints and model answers.
 */
export class InterviewService {
  readonly bank: QuestionBank;
  readonly store: InterviewStore;
  private readonly now: () => Date;
  private readonly random: Random;
  private readonly followUpDepth: number;
  private readonly serial = new KeyedSerial();

  constructor(private readonly options: InterviewServiceOptions) {
    this.bank = options.bank;
    this.store = options.store;
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.followUpDepth = options.followUpDepth ?? 2;
  }

  get graderKind(): "llm" | "offline" {
    return this.options.grader.kind;
  }

  get codeRunner(): CodeRunner | undefined {
    return this.options.code;
  }

  /** A question for `userId` from the named round (id or alias), a specific question by id, or any round. */
  async chooseQuestion(userId: string, roundName?: string): Promise<QuestionRef> {
    let rounds = this.bank.rounds;
    const exact = roundName ? this.bank.find(roundName.trim().toLowerCase()) : undefined;
    if (exact) return exact;
    if (roundName) {
      const round = this.bank.findRound(roundName);
      if (!round) throw new UnknownRoundError(roundName, this.bank.rounds.map((r) => r.id));
      rounds = [round];
    }
    const history = await this.store.peekUser(userId);
    return pickQuestion(this.bank, rounds, history?.asked ?? [], this.random);
  }

  /** Records that the question was posted at `key`, so replies in that thread are recognised as answers. */
  async questionPosted(input: {
    key: ThreadKey;
    ref: QuestionRef;
    askedBy: string;
    audience: "dm" | "channel";
    origin: ThreadRecord["origin"];
    loopId?: string;
  }): Promise<ThreadRecord> {
    const at = this.now();
    const thread = await this.store.createThread({
      channel: input.key.channel,
      ts: input.key.ts,
      questionId: input.ref.question.id,
      roundId: input.ref.round.id,
      askedBy: input.askedBy,
      audience: input.audience,
      origin: input.origin,
      loopId: input.loopId,
      createdAt: at.toISOString(),
    });
    await this.store.recordAsked(input.askedBy, input.ref.question.id, at);
    return thread;
  }

  thread(key: ThreadKey): Promise<ThreadRecord | undefined> {
    return this.store.thread(key);
  }

  /**
   * Grades one reply in a question's thread. The caller has checked that `thread` is one of ours.
   * One person's replies in one thread are graded in order, each seeing the turn the previous one left.
   */
  answer(input: AnswerInput): Promise<AnswerOutcome> {
    const key = `${input.thread.channel}\u0000${input.thread.ts}\u0000${input.userId}`;
    return this.serial.run(key, async () => {
      const thread = (await this.store.thread(input.thread)) ?? input.thread;
      return this.gradeReply({ ...input, thread });
    });
  }

  private async gradeReply(input: AnswerInput): Promise<AnswerOutcome> {
    const { userId } = input;
    const history = (await this.store.peekUser(userId))?.answers ?? [];
    const stored = input.answerId ? history.find((a) => a.id === input.answerId) : undefined;
    const thread = await this.reconcileThread(input.thread, userId, history);
    if (stored) return this.recovered(thread, stored);
    const text = input.text.trim();
    if (thread.status !== "open") return { kind: "closed", thread };
    if (text.length === 0 && !input.code) return { kind: "empty" };
    if (text.length > this.options.maxAnswerChars) {
      return { kind: "too-long", length: text.length, limit: this.options.maxAnswerChars };
    }
    const ref = this.bank.get(thread.questionId);
    const { round, question } = ref;
    const participant = thread.participants[userId] ?? { turns: 0, hintsTaken: 0 };
    const followUp = participant.turns > 0 ? participant.pendingFollowUp : undefined;

    let codeRun: CodeRunOutcome | undefined;
    let codeExecutionOff: string | undefined;
    // A coding question's first answer is judged by running it; follow-ups are discussion.
    if (question.coding && participant.turns === 0) {
      const runner = this.options.code;
      if (!input.code) return { kind: "needs-code", question };
      if (runner?.available) codeRun = toOutcome(await runner.judge(question.id, input.code.language, input.code.source));
      else codeExecutionOff = runner?.reason ?? "code execution is not configured";
    }

    const previous = turnsIn(history, thread, question.id).map((a) => ({
      prompt: a.followUp ?? question.prompt,
      answer: a.text,
      // So a follow-up's feedback can say how each dimension moved.
      scores: Object.fromEntries(a.critique.dimensions.map((d) => [d.id, d.score])),
    }));
    const critique = await this.options.grader.grade({
      round,
      question,
      answer: text,
      followUp,
      previous,
      hintsUsed: participant.hintsTaken,
      code: codeRun?.summary,
    });

    const nextFollowUp = participant.turns < (input.followUpDepth ?? this.followUpDepth) ? this.nextProbe(question, critique, participant.turns) : undefined;
    // The answer is the source of truth; the thread's turn is derived from it (and repaired from it on
    // the next reply if the process dies between the two saves).
    const answer = await this.store.saveAnswer({
      id: input.answerId,
      userId,
      questionId: question.id,
      roundId: round.id,
      thread: { channel: thread.channel, ts: thread.ts },
      turn: participant.turns,
      followUp,
      text,
      createdAt: this.now().toISOString(),
      critique,
      code: codeRun?.summary,
      hintsUsed: participant.hintsTaken,
      nextFollowUp,
    });
    const updated = (await this.store.updateThread(thread, (t) => advanceParticipant(t, userId, answer)))!;
    (this.options.telemetry ?? noTelemetry).answerGraded({ grader: critique.grader, round: round.id });
    return { kind: "graded", thread: updated, answer, critique, nextFollowUp, codeRun, codeExecutionOff };
  }

  /** The outcome of an answer graded before: the stored critique, no new grading. */
  private recovered(thread: ThreadRecord, answer: AnswerRecord): AnswerOutcome {
    return { kind: "graded", thread, answer, critique: answer.critique, nextFollowUp: answer.nextFollowUp, recovered: true };
  }

  /**
   * Brings a thread's record of this person up to their latest stored answer to its current question,
   * when a crash left the answer saved but the thread behind.
   */
  private async reconcileThread(thread: ThreadRecord, userId: string, history: AnswerRecord[]): Promise<ThreadRecord> {
    const turns = turnsIn(history, thread, thread.questionId);
    const latest = turns.at(-1);
    const participant = thread.participants[userId];
    if (!latest || (participant && participant.turns > latest.turn)) return thread;
    return (await this.store.updateThread(thread, (t) => advanceParticipant(t, userId, latest))) ?? thread;
  }

  /** The question's own probes first (in order), then the critic's probe aimed at the gaps it found. */
  private nextProbe(question: Question, critique: Critique, turn: number): string | undefined {
    return question.followUps[turn] ?? (critique.followUp || undefined);
  }

  /** The next rung of the question's hint ladder for this person. */
  async hint(key: ThreadKey, userId: string): Promise<HintOutcome | undefined> {
    const thread = await this.store.thread(key);
    if (!thread) return undefined;
    const { question } = this.bank.get(thread.questionId);
    const taken = thread.participants[userId]?.hintsTaken ?? 0;
    if (taken >= question.hints.length) return { kind: "no-more-hints", total: question.hints.length };
    await this.store.updateThread(key, (t) => {
      const p = t.participants[userId] ?? { turns: 0, hintsTaken: 0 };
      t.participants[userId] = { ...p, hintsTaken: taken + 1 };
    });
    return { kind: "hint", text: question.hints[taken]!, index: taken + 1, total: question.hints.length };
  }

  /** The reference answer plus the key points this person missed; only after they have answered. */
  async modelAnswer(key: ThreadKey, userId: string): Promise<ModelAnswerOutcome | undefined> {
    const thread = await this.store.thread(key);
    if (!thread) return undefined;
    const participant = thread.participants[userId];
    if (!participant || participant.turns === 0) return { kind: "answer-first" };
    const { question } = this.bank.get(thread.questionId);
    const doc = await this.store.peekUser(userId);
    const last = doc?.answers.find((a) => a.id === participant.lastAnswerId);
    // The model solution in the language this person's code was in (follow-up answers carry no code).
    const language = doc?.answers.filter((a) => a.thread.channel === key.channel && a.thread.ts === key.ts && a.code).at(-1)?.code?.language;
    return {
      kind: "model-answer",
      question,
      referenceAnswer: referenceAnswerFor(question, language),
      missedPoints: last?.critique.gaps ?? [],
    };
  }

  /** Closes a DM question (a channel question stays open for others). */
  async skip(key: ThreadKey, userId: string): Promise<ThreadRecord | undefined> {
    return this.store.updateThread(key, (t) => {
      if (t.audience === "dm" && t.askedBy === userId) t.status = "skipped";
    });
  }
}

/** This person's stored turns on `questionId` in `thread`, in order (a loop thread asks several questions in turn). */
function turnsIn(history: AnswerRecord[], thread: ThreadKey, questionId: string): AnswerRecord[] {
  return history
    .filter((a) => a.thread.channel === thread.channel && a.thread.ts === thread.ts && a.questionId === questionId)
    .sort((a, b) => a.turn - b.turn);
}

/** The thread's record of `userId` after `answer`; hints taken meanwhile are kept. */
function advanceParticipant(thread: ThreadRecord, userId: string, answer: AnswerRecord): void {
  const current = thread.participants[userId] ?? { turns: 0, hintsTaken: 0 };
  if (current.turns > answer.turn) return;
  thread.participants[userId] = { ...current, turns: answer.turn + 1, pendingFollowUp: answer.nextFollowUp, lastAnswerId: answer.id };
}

/** What the critic needs to know about a code run: the verdict and how far the code got. */
function toOutcome(result: JudgeResult): CodeRunOutcome {
  const failure = result.failure;
  const detail = result.message ?? (failure ? `first failing test: ${failure.name}${failure.message ? ` (${failure.message})` : ""}` : undefined);
  return {
    result,
    summary: { language: result.language, verdict: result.verdict, passed: result.passed, total: result.total, detail },
  };
}
