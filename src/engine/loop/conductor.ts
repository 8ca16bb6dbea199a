import { StoreWriteError } from "../store/errors.js";
import type { ThreadKey } from "../store/records.js";
import { parseLoopCommand, type LoopCommand } from "./commands.js";
import type { LoopDisplay, LoopOutput, LoopReply, RoundOpening } from "./outputs.js";
import type { LoopDoc } from "./records.js";
import { hintEffect } from "./scoring.js";
import type { CurrentState, DueRound, LoopService, LoopStep, LoopThreadState, RoundToPost } from "./service.js";

/**
 * Arms the next round of a loop paced one round a day. The embedded LoopPacer implements it with a
 * timer; a job queue can implement it with a delayed job that calls `LoopConductor.roundDue`.
 */
export interface RoundTimer {
  schedule(due: DueRound): void;
  cancel(userId: string): void;
}

export interface LoopConductorOptions {
  service: LoopService;
  /** Daily pacing's timer; without one, a round due later waits for `/interview loop next` or the next start-up. */
  timer?: RoundTimer;
  /** True when the debrief's focus items reach the daily schedule (the debrief then says so). */
  focusFed: boolean;
  logger: { error(message: string): void };
}

export type StartResult =
  /** A new loop; its first round is open. */
  | { kind: "started"; loop: LoopDoc }
  /** A loop was already running (a round that had fallen due is open now). */
  | { kind: "running"; loop: LoopDoc };

export type TakeRoundResult =
  /** No loop is running; the latest one, if any, for its debrief. */
  | { kind: "none"; latest?: LoopDoc }
  /** The waiting round is open now. */
  | { kind: "opened"; loop: LoopDoc; opened: RoundToPost }
  /** The current round is still going (or the next is not due and not forced). */
  | { kind: "running"; loop: LoopDoc };

/**
 * Runs a mock onsite from the candidate's side: decides what a reply in a round's thread, a command or a
 * round falling due leads to — grading, hints, the next question, the end of a round, the next round, the
 * debrief, the focus items for the daily schedule — changes the loop accordingly, and hands what to show,
 * in order, to the adapter's `LoopDisplay`. Slack, the console and the daily pacer all come through here.
 *
 * Every entry point holds the person's loop (`LoopService.exclusive`) while it reads, changes and shows,
 * so a `next` typed while an answer is being graded waits for that grade and its critique.
 */
export class LoopConductor {
  readonly service: LoopService;

  constructor(private readonly options: LoopConductorOptions) {
    this.service = options.service;
  }

  /**
   * A reply in a loop round's thread: a command typed on its own (`hint`, `next`, `skip`, `end`,
   * `model answer`) or an answer, graded with the loop's follow-up depth. Returns what was shown.
   *
   * `beforeCommand` runs before a command changes the loop: commands are not idempotent, so the caller
   * marks the reply handled first (at most once); answers are graded exactly once through `reply.id`.
   * A failure on our side is logged and shown as `failed`, except a failed save (StoreWriteError) and,
   * for an answer with an id, a failure of the display: those are thrown so the caller tries the reply again.
   */
  async reply(reply: LoopReply, display: LoopDisplay, options: { beforeCommand?: () => Promise<void> } = {}): Promise<LoopOutput[]> {
    const thread = await this.service.thread(reply.thread);
    // A mock onsite is one person's; in a shared conversation others' replies are not part of it.
    if (thread?.origin !== "loop" || reply.userId !== thread.askedBy) return [];
    const shown = recording(display);
    const command = parseLoopCommand(reply.text);
    try {
      if (command !== undefined) await options.beforeCommand?.();
      await this.service.exclusive(thread.askedBy, async () => {
        // Read under the lock: an earlier reply may have moved the loop on.
        const state = await this.service.locateKey(reply.thread);
        if (state) await this.replyIn(state, command, reply, shown);
      });
    } catch (error) {
      // Not saved: the reply stays with the caller and is tried again, so no apology that asks for a resend.
      if (error instanceof StoreWriteError) throw error;
      // An answer whose outputs could not be shown (the chat unreachable) is tried again by the caller too:
      // grading it again returns the stored grade (its id), and the adapter finds what it already posted.
      // Commands were marked handled before they ran, so they end here.
      if (shown.failed && command === undefined && reply.id !== undefined) throw error;
      this.options.logger.error(`mock loop reply from ${reply.userId} failed: ${(error as Error).message}`);
      await shown.show({ kind: "failed", userId: reply.userId }).catch(() => undefined);
    }
    return shown.outputs;
  }

  /** The critique's Model answer button in a loop thread: recorded like the typed command. */
  async modelAnswer(thread: ThreadKey, userId: string, display: LoopDisplay): Promise<LoopOutput[]> {
    const shown = recording(display);
    await this.service.exclusive(userId, async () => {
      const state = await this.service.locateKey(thread);
      if (!state || state.loop.userId !== userId) return;
      if (state.kind !== "current") await shown.show(this.notCurrent(state));
      else await this.showModelAnswer(state, shown);
    });
    return shown.outputs;
  }

  /**
   * `/interview loop`: starts a loop and opens its first round — or, when one is running, opens a round
   * that fell due while posting it failed and reports the running loop. `tz` is read only for a new
   * loop paced a round a day (rounds then come at the local time it was started).
   */
  async start(input: { userId: string; withHm: boolean; daily: boolean; tz: () => Promise<string> }, display: LoopDisplay): Promise<StartResult> {
    const { userId } = input;
    return this.service.exclusive(userId, async () => {
      const active = await this.service.active(userId);
      if (active) {
        const due = this.service.roundToPost(active);
        return { kind: "running", loop: due ? await this.open(due, display) : active };
      }
      const pacing = input.daily ? { kind: "daily" as const, tz: await input.tz() } : { kind: "all" as const };
      const loop = await this.service.start({ userId, withHm: input.withHm, pacing });
      const first = this.service.roundToPost(loop);
      return { kind: "started", loop: first ? await this.open(first, display) : loop };
    });
  }

  /** `/interview loop next` (`force`) or `status`: opens the waiting round if it is due (or forced). */
  async takeRound(userId: string, options: { force: boolean }, display: LoopDisplay): Promise<TakeRoundResult> {
    return this.service.exclusive(userId, async () => {
      const active = await this.service.active(userId);
      if (!active) {
        const latest = (await this.service.list(userId))[0];
        const loop = latest && (await this.service.get(userId, latest.id));
        return { kind: "none", ...(loop ? { latest: loop } : {}) };
      }
      const post = this.service.roundToPost(active, { force: options.force });
      if (!post) return { kind: "running", loop: active };
      this.options.timer?.cancel(userId);
      return { kind: "opened", loop: await this.open(post, display), opened: post };
    });
  }

  /** `/interview loop end`: abandons the running loop; shows `loop-ended` and, after answers, the partial debrief. Throws NoActiveLoopError (errors.ts). */
  async end(userId: string, display: LoopDisplay): Promise<LoopDoc> {
    return this.service.exclusive(userId, () => this.abandon(userId, display));
  }

  /** The daily pacer's callback: opens the loop's next round if it is still waiting for it. */
  async roundDue(due: DueRound, display: LoopDisplay): Promise<LoopOutput[]> {
    const shown = recording(display);
    await this.service.exclusive(due.userId, async () => {
      const loop = await this.service.get(due.userId, due.loopId);
      const post = loop && this.service.roundToPost(loop);
      if (post) await this.open(post, shown);
    });
    return shown.outputs;
  }

  // ---------- in a round's thread ----------

  private async replyIn(state: LoopThreadState, command: LoopCommand | undefined, reply: LoopReply, display: LoopDisplay): Promise<void> {
    if (state.kind !== "current") {
      // `end` works from any thread of a running loop (e.g. while waiting for tomorrow's round).
      if (command === "end" && state.loop.status === "active") await this.abandon(state.loop.userId, display);
      else await display.show(this.notCurrent(state));
      return;
    }
    switch (command) {
      case "end":
        await this.abandon(state.loop.userId, display);
        return;
      case "hint":
        await this.giveHint(state, display);
        return;
      case "model-answer":
        await this.showModelAnswer(state, display);
        return;
      case "next":
      case "skip":
        await this.moveOn(await this.service.advance(state), display);
        return;
      case undefined:
        await this.grade(state, reply, display);
        return;
    }
  }

  private async grade(state: CurrentState, reply: LoopReply, display: LoopDisplay): Promise<void> {
    await display.show({ kind: "grading" });
    const result = await this.service.answer(state, { text: reply.text, code: reply.code, answerId: reply.id });
    if (result.kind !== "answered") return display.show({ kind: result.kind });
    const roundTitle = this.service.bank.round(state.thread.roundId).title;
    await display.show({ kind: "critique", outcome: result.outcome, roundTitle, threadTs: state.thread.ts, followUpPending: result.followUpPending });
  }

  private async giveHint(state: CurrentState, display: LoopDisplay): Promise<void> {
    const outcome = await this.service.hint(state);
    if (!outcome) return;
    if (outcome.kind === "no-more-hints") return display.show(outcome);
    const { round, question } = this.service.bank.get(state.thread.questionId);
    const effect = hintEffect(round, question, outcome.index);
    await display.show({
      kind: "hint",
      index: outcome.index,
      total: outcome.total,
      text: outcome.text,
      ...(effect ? { cap: { dimensionTitle: effect.dimensionTitle, cap: effect.cap } } : {}),
    });
  }

  private async showModelAnswer(state: CurrentState, display: LoopDisplay): Promise<void> {
    const outcome = await this.service.modelAnswer(state);
    if (!outcome) return;
    await display.show(outcome.kind === "answer-first" ? { kind: "answer-first" } : { kind: "model-answer", answer: outcome });
  }

  /** What `next` / `skip` led to: the next question, the end of the round and the next round (now or later), or the debrief. */
  private async moveOn(step: LoopStep, display: LoopDisplay): Promise<void> {
    const bank = this.service.bank;
    if (step.kind === "question") {
      const questionCount = step.loop.rounds[step.roundIndex]!.questions.length;
      await display.show({ kind: "next-question", round: step.ref.round, question: step.ref.question, questionIndex: step.questionIndex, questionCount });
      return;
    }
    const endedIndex = step.kind === "completed" ? step.loop.rounds.length - 1 : step.roundIndex;
    const round = bank.round(step.loop.rounds[endedIndex]!.roundId);
    const summary = this.service.roundSummary(step.loop, endedIndex);
    if (step.kind === "completed") {
      await display.show({ kind: "round-ended", round, ...(summary ? { summary } : {}) });
      await display.show({ kind: "debrief", loop: step.loop, debrief: step.debrief, focusFed: this.options.focusFed && step.debrief.complete });
      return;
    }
    const { dueAt } = step.next;
    const tz = step.loop.pacing.kind === "daily" ? step.loop.pacing.tz : undefined;
    const next = { round: bank.round(step.loop.rounds[step.next.roundIndex]!.roundId), ...(dueAt ? { dueAt } : {}), ...(tz ? { tz } : {}) };
    await display.show({ kind: "round-ended", round, ...(summary ? { summary } : {}), next });
    if (dueAt) {
      this.options.timer?.schedule({ userId: step.loop.userId, loopId: step.loop.id, dueAt });
      return;
    }
    const post = this.service.roundToPost(step.loop);
    if (post) await this.open(post, display);
  }

  private async abandon(userId: string, display: LoopDisplay): Promise<LoopDoc> {
    const loop = await this.service.abandon(userId);
    this.options.timer?.cancel(userId);
    const answered = loop.debrief !== undefined && loop.debrief.rounds.length > 0;
    await display.show({ kind: "loop-ended", answered });
    if (answered) await display.show({ kind: "debrief", loop, debrief: loop.debrief!, focusFed: false });
    return loop;
  }

  /** Posts the round's first message through the display and records its thread: replies there answer its first question. */
  private async open(post: RoundToPost, display: LoopDisplay): Promise<LoopDoc> {
    const { loop, roundIndex, ref } = post;
    const record = loop.rounds[roundIndex]!;
    const thread = await display.openRound({
      loop,
      roundIndex,
      round: ref.round,
      question: ref.question,
      roundCount: loop.rounds.length,
      questionCount: record.questions.length,
      timeGuideMinutes: record.timeGuideMinutes,
    });
    const opened = await this.service.roundPosted(post, thread);
    await display.show({ kind: "round-opened", loop: opened, roundIndex, thread });
    return opened;
  }

  /** Why a reply in a loop thread is not taken: the loop is over, or this round is. */
  private notCurrent(state: Exclude<LoopThreadState, CurrentState>): LoopOutput {
    if (state.kind === "ended") return { kind: "not-current", reason: state.loop.status === "completed" ? "completed" : "abandoned" };
    const current = state.loop.rounds[state.loop.currentRound];
    return {
      kind: "not-current",
      reason: "round-over",
      ...(current ? { current: { title: this.service.bank.round(current.roundId).title, open: current.status === "active" } } : {}),
    };
  }
}

/** A display that also keeps what it showed (in order, failures left out), and whether it failed, for the entry point. */
function recording(display: LoopDisplay): LoopDisplay & { outputs: LoopOutput[]; failed: boolean } {
  const shown = {
    outputs: [] as LoopOutput[],
    failed: false,
    async show(output: LoopOutput) {
      try {
        await display.show(output);
      } catch (error) {
        shown.failed = true;
        throw error;
      }
      shown.outputs.push(output);
    },
    async openRound(opening: RoundOpening) {
      try {
        return await display.openRound(opening);
      } catch (error) {
        shown.failed = true;
        throw error;
      }
    },
  };
  return shown;
}
