/**
 * The mock loop's engine entry points, with no chat platform: a reply in a loop round's thread (or a
 * command, or a round falling due) goes in; what to show comes out, in order, through a display that
 * records it. Real engine, real files, the offline grader or the fake LLM at the network edge.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LoopConductor, type RoundTimer } from "../../src/engine/loop/conductor.js";
import { NoActiveLoopError } from "../../src/engine/loop/errors.js";
import type { LoopDisplay, LoopOutput, RoundOpening } from "../../src/engine/loop/outputs.js";
import type { DueRound } from "../../src/engine/loop/service.js";
import type { ThreadKey } from "../../src/engine/store/records.js";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai.js";
import { bank, harness, type Harness } from "./support.js";

const HM_ANSWER =
  "The business problem was that searches were ending without an add-to-cart, so the metric we wanted to move was search conversion. " +
  "I owned the ranking model end to end: I built the training data from click logs, trained a gradient-boosted ranker, " +
  "evaluated it offline with NDCG and then in an A/B test, where conversion rose by 2 percent. I would push for earlier online tests next time.";

let threadCounter = 0;

/** A display that records everything it is asked to show, and where each round's thread opened. */
class RecordingDisplay implements LoopDisplay {
  readonly outputs: LoopOutput[] = [];
  readonly opened: RoundOpening[] = [];
  /** Every call in order: `show:<kind>` or `open:<round id>`. */
  readonly calls: string[] = [];
  constructor(
    private readonly channel = "D1",
    private readonly failOn?: LoopOutput["kind"],
  ) {}

  async show(output: LoopOutput): Promise<void> {
    this.calls.push(`show:${output.kind}`);
    if (output.kind === this.failOn) throw new Error(`posting ${output.kind} failed`);
    this.outputs.push(output);
  }

  async openRound(opening: RoundOpening): Promise<ThreadKey> {
    this.calls.push(`open:${opening.round.id}`);
    this.opened.push(opening);
    return { channel: this.channel, ts: `${1_700_000_000 + ++threadCounter}.000100` };
  }

  get kinds(): string[] {
    return this.outputs.map((o) => o.kind);
  }
}

interface Rig {
  h: Harness;
  conductor: LoopConductor;
  scheduled: DueRound[];
  cancelled: string[];
  errors: string[];
}

function rig(options: Parameters<typeof harness>[0] = {}): Rig {
  const h = harness(options);
  const scheduled: DueRound[] = [];
  const cancelled: string[] = [];
  const errors: string[] = [];
  const timer: RoundTimer = { schedule: (due) => void scheduled.push(due), cancel: (userId) => void cancelled.push(userId) };
  const conductor = new LoopConductor({ service: h.loops, timer, focusFed: true, logger: { error: (m) => void errors.push(m) } });
  return { h, conductor, scheduled, cancelled, errors };
}

/** Starts a loop for U1 and returns the first round's thread. */
async function started(r: Rig, options: { withHm?: boolean; daily?: boolean } = {}): Promise<{ thread: ThreadKey; display: RecordingDisplay }> {
  const display = new RecordingDisplay();
  const result = await r.conductor.start({ userId: "U1", withHm: options.withHm ?? true, daily: options.daily ?? false, tz: async () => "America/New_York" }, display);
  expect(result.kind).toBe("started");
  const opened = display.outputs.find((o) => o.kind === "round-opened");
  if (opened?.kind !== "round-opened") throw new Error("no round opened");
  return { thread: opened.thread, display };
}

async function say(r: Rig, thread: ThreadKey, text: string, options: { userId?: string; id?: string; display?: RecordingDisplay } = {}) {
  const display = options.display ?? new RecordingDisplay();
  const commands: string[] = [];
  const outputs = await r.conductor.reply(
    { id: options.id, thread, userId: options.userId ?? "U1", text },
    display,
    { beforeCommand: async () => void commands.push(text) },
  );
  // What reply() returns is exactly what the display was shown, in order.
  expect(outputs).toEqual(display.outputs);
  return { outputs, display, commands };
}

let openai: FakeOpenAI;
beforeAll(async () => {
  openai = await startFakeOpenAI({ smartScore: 3 });
});
afterAll(async () => {
  await openai.close();
});

describe("LoopConductor: a reply in a loop thread → ordered outputs", () => {
  it("grades an answer, probes, caps on a hint, moves to the next question and opens the next round after the round's end", async () => {
    const r = rig({ followUpDepth: 1 });
    const { thread, display: startDisplay } = await started(r);
    expect(startDisplay.calls).toEqual(["open:hiring-manager", "show:round-opened"]);
    expect(startDisplay.opened[0]).toMatchObject({ roundIndex: 0, roundCount: 6, questionCount: 2, question: { id: "hm-past-experience" } });

    const answer = await say(r, thread, HM_ANSWER, { id: "D1:1" });
    expect(answer.display.kinds).toEqual(["grading", "critique"]);
    expect(answer.commands).toEqual([]);
    const critique = answer.outputs[1]!;
    if (critique.kind !== "critique" || critique.outcome.kind !== "graded") throw new Error("not graded");
    expect(critique).toMatchObject({ roundTitle: bank.round("hiring-manager").title, threadTs: thread.ts, followUpPending: true });
    expect(critique.outcome.answer.id).toBe("D1:1");
    expect(critique.outcome.nextFollowUp).toBeTruthy();

    const probe = await say(r, thread, "I'd watch search conversion per cohort and roll back on a drop.");
    expect(probe.outputs[1]).toMatchObject({ kind: "critique", followUpPending: false });
    expect((await say(r, thread, "And one more thought.")).display.kinds).toEqual(["grading", "question-done"]);

    const hint = await say(r, thread, "hint");
    expect(hint.commands).toEqual(["hint"]);
    const question = bank.get("hm-past-experience").question;
    expect(hint.outputs).toEqual([{ kind: "hint", index: 1, total: question.hints.length, text: question.hints[0], cap: { dimensionTitle: expect.any(String), cap: 3 } }]);

    const next = await say(r, thread, "next");
    expect(next.outputs).toHaveLength(1);
    expect(next.outputs[0]).toMatchObject({ kind: "next-question", round: { id: "hiring-manager" }, questionIndex: 1, questionCount: 2 });

    const skip = await say(r, thread, "skip");
    // The round's end is said in its thread before the next round opens its own.
    expect(skip.display.calls).toEqual(["show:round-ended", "open:coding", "show:round-opened"]);
    const ended = skip.outputs[0]!;
    if (ended.kind !== "round-ended") throw new Error("round did not end");
    expect(ended.round.id).toBe("hiring-manager");
    expect(ended.next).toEqual({ round: bank.round("coding") });
    // The summary scores the round as the debrief will: one answered question, one skipped.
    expect(ended.summary?.round).toMatchObject({ roundId: "hiring-manager", signal: null });
    expect(ended.summary?.round.questions.map((q) => q.status)).toEqual(["answered", "skipped"]);
    const opened = skip.outputs[1]!;
    expect(opened).toMatchObject({ kind: "round-opened", roundIndex: 1 });
    const loop = (await r.h.loops.active("U1"))!;
    expect(loop.currentRound).toBe(1);
    expect(loop.rounds[1]!.thread).toEqual(opened.kind === "round-opened" ? opened.thread : undefined);
    expect(r.scheduled).toEqual([]);

    // The finished round's thread no longer takes answers: it says where the loop is.
    const late = await say(r, thread, "A late answer to the first round.");
    expect(late.outputs).toEqual([{ kind: "not-current", reason: "round-over", current: { title: bank.round("coding").title, open: true } }]);
  });

  it("ignores other people's replies in a loop thread and replies outside any loop", async () => {
    const r = rig();
    const { thread } = await started(r);
    const before = await r.h.loops.active("U1");
    const stranger = await say(r, thread, "next", { userId: "U2" });
    expect(stranger.outputs).toEqual([]);
    expect(stranger.commands).toEqual([]);
    expect(await say(r, { channel: "D1", ts: "1.000001" }, "next")).toMatchObject({ outputs: [], commands: [] });
    expect(await r.h.loops.active("U1")).toEqual(before);
  });

  it("paces a round a day: the round's end arms the timer, the pacer's call opens the round when due, and `end` gives the partial debrief", async () => {
    let now = new Date("2025-03-10T14:00:00Z");
    const r = rig({ now: () => now });
    const { thread } = await started(r, { daily: true });
    await say(r, thread, HM_ANSWER);
    await say(r, thread, "next");
    const skip = await say(r, thread, "skip");
    expect(skip.display.calls).toEqual(["show:round-ended"]);
    const ended = skip.outputs[0]!;
    if (ended.kind !== "round-ended") throw new Error("round did not end");
    // 10:00 in New York when the loop started: the next round comes the next day at 10:00 there.
    expect(ended.next).toEqual({ round: bank.round("coding"), dueAt: new Date("2025-03-11T14:00:00Z"), tz: "America/New_York" });
    const loopId = (await r.h.loops.active("U1"))!.id;
    expect(r.scheduled).toEqual([{ userId: "U1", loopId, dueAt: ended.next!.dueAt }]);

    expect((await say(r, thread, "Is the next round here?")).outputs).toEqual([
      { kind: "not-current", reason: "round-over", current: { title: bank.round("coding").title, open: false } },
    ]);
    const early = new RecordingDisplay();
    expect(await r.conductor.roundDue(r.scheduled[0]!, early)).toEqual([]);
    expect(early.calls).toEqual([]);

    now = new Date("2025-03-11T14:00:01Z");
    const due = new RecordingDisplay();
    const opened = await r.conductor.roundDue(r.scheduled[0]!, due);
    expect(due.calls).toEqual(["open:coding", "show:round-opened"]);
    expect(opened[0]).toMatchObject({ kind: "round-opened", roundIndex: 1 });
    // A second call for the same due round (a retried job, a second instance) opens nothing more.
    expect(await r.conductor.roundDue(r.scheduled[0]!, new RecordingDisplay())).toEqual([]);

    // `end` from the first round's thread still ends the running loop.
    const end = await say(r, thread, "end");
    expect(end.commands).toEqual(["end"]);
    expect(end.display.kinds).toEqual(["loop-ended", "debrief"]);
    expect(end.outputs[0]).toEqual({ kind: "loop-ended", answered: true });
    expect(end.outputs[1]).toMatchObject({ kind: "debrief", focusFed: false, debrief: { complete: false, recommendation: { outcome: "incomplete" } } });
    expect(r.cancelled).toEqual(["U1"]);
    expect((await say(r, thread, "hello?")).outputs).toEqual([{ kind: "not-current", reason: "abandoned" }]);
  });

  it("ends the last round with the debrief and feeds what to practise into the daily schedule", async () => {
    const r = rig();
    let { thread } = await started(r, { withHm: false });
    let last: LoopOutput[] = [];
    for (let i = 0; i < 20; i++) {
      last = (await say(r, thread, "skip")).outputs;
      const opened = last.find((o) => o.kind === "round-opened");
      if (opened?.kind === "round-opened") thread = opened.thread;
      if (last.some((o) => o.kind === "debrief")) break;
    }
    expect(last.map((o) => o.kind)).toEqual(["round-ended", "debrief"]);
    expect(last[0]).toMatchObject({ kind: "round-ended", round: { id: "behavioral" } });
    expect((last[0] as { next?: unknown }).next).toBeUndefined();
    const debrief = last[1]!;
    if (debrief.kind !== "debrief") throw new Error("no debrief");
    expect(debrief).toMatchObject({ focusFed: true, loop: { status: "completed" }, debrief: { complete: true } });
    expect(debrief.debrief.focus).toHaveLength(3);
    const scheduled = await r.h.schedule.peek({ kind: "user", id: "U1" });
    expect(scheduled?.focus.map((f) => f.roundId)).toEqual(debrief.debrief.focus.map((f) => f.roundId));
    expect((await say(r, thread, "one more")).outputs).toEqual([{ kind: "not-current", reason: "completed" }]);
  });

  it("runs one person's replies in order: `next` typed while an answer is graded waits for its critique", async () => {
    const r = rig({ llmUrl: openai.url, followUpDepth: 0 });
    const { thread } = await started(r);
    const display = new RecordingDisplay();
    openai.setLatency(400);
    try {
      await Promise.all([say(r, thread, HM_ANSWER, { id: "D1:slow", display }).catch(() => undefined), r.conductor.reply({ thread, userId: "U1", text: "next" }, display)]);
    } finally {
      openai.setLatency(0);
    }
    expect(display.calls).toEqual(["show:grading", "show:critique", "show:next-question"]);
    const stored = (await r.h.loops.active("U1"))!.rounds[0]!.questions[0]!;
    expect(stored.turns.map((t) => t.answerId)).toEqual(["D1:slow"]);
    expect(stored.status).toBe("answered");
  });

  it("grades a reply handled again (a retried job) once, and shows the same critique", async () => {
    const r = rig({ followUpDepth: 1 });
    const { thread } = await started(r);
    const first = await say(r, thread, HM_ANSWER, { id: "D1:again" });
    const second = await say(r, thread, HM_ANSWER, { id: "D1:again" });
    expect(second.display.kinds).toEqual(["grading", "critique"]);
    const [a, b] = [first.outputs[1], second.outputs[1]];
    if (a?.kind !== "critique" || b?.kind !== "critique" || a.outcome.kind !== "graded" || b.outcome.kind !== "graded") throw new Error("not graded");
    expect(b.outcome.recovered).toBe(true);
    expect(b.outcome.critique).toEqual(a.outcome.critique);
    expect((await r.h.loops.active("U1"))!.rounds[0]!.questions[0]!.turns).toHaveLength(1);
  });

  it("hands an answer whose critique could not be posted back for a retry, which shows the stored grade once", async () => {
    const r = rig();
    const { thread } = await started(r);
    const broken = new RecordingDisplay("D1", "critique");
    await expect(r.conductor.reply({ id: "D1:fail", thread, userId: "U1", text: HM_ANSWER }, broken)).rejects.toThrow("posting critique failed");
    expect(broken.calls).toEqual(["show:grading", "show:critique"]);
    // The answer was graded and kept; the retry shows the same grade without grading again.
    expect((await r.h.interview.store.peekUser("U1"))!.answers.map((a) => a.id)).toEqual(["D1:fail"]);
    const retry = await say(r, thread, HM_ANSWER, { id: "D1:fail" });
    expect(retry.outputs[1]).toMatchObject({ kind: "critique", outcome: { kind: "graded", recovered: true } });
    expect((await r.h.loops.active("U1"))!.rounds[0]!.questions[0]!.turns).toHaveLength(1);
  });

  it("says sorry and logs why when a command (already marked handled) or an answer without an id fails", async () => {
    const r = rig();
    const { thread } = await started(r);
    const answer = new RecordingDisplay("D1", "critique");
    const outputs = await r.conductor.reply({ thread, userId: "U1", text: HM_ANSWER }, answer);
    expect(answer.calls).toEqual(["show:grading", "show:critique", "show:failed"]);
    expect(outputs.map((o) => o.kind)).toEqual(["grading", "failed"]);
    const command = new RecordingDisplay("D1", "next-question");
    const next = await say(r, thread, "next", { display: command });
    expect(next.commands).toEqual(["next"]);
    expect(command.calls).toEqual(["show:next-question", "show:failed"]);
    expect(r.errors).toEqual([expect.stringContaining("posting critique failed"), expect.stringContaining("posting next-question failed")]);
  });
});

describe("LoopConductor: commands outside a thread and the model-answer button", () => {
  it("starts once, reports the running loop, opens the waiting round on `next`, and ends it", async () => {
    const r = rig();
    const { thread } = await started(r, { daily: true });
    const again = new RecordingDisplay();
    const running = await r.conductor.start({ userId: "U1", withHm: false, daily: false, tz: async () => "UTC" }, again);
    expect(running.kind).toBe("running");
    expect(again.calls).toEqual([]);
    expect(await r.conductor.takeRound("U1", { force: true }, new RecordingDisplay())).toMatchObject({ kind: "running" });

    await say(r, thread, "skip");
    await say(r, thread, "skip");
    expect(r.scheduled).toHaveLength(1);
    const status = new RecordingDisplay();
    expect(await r.conductor.takeRound("U1", { force: false }, status)).toMatchObject({ kind: "running" });
    expect(status.calls).toEqual([]);
    const take = new RecordingDisplay();
    const taken = await r.conductor.takeRound("U1", { force: true }, take);
    expect(taken).toMatchObject({ kind: "opened", opened: { roundIndex: 1 } });
    expect(take.calls).toEqual(["open:coding", "show:round-opened"]);
    expect(r.cancelled).toEqual(["U1"]);

    const end = new RecordingDisplay();
    await r.conductor.end("U1", end);
    // Skipped questions count against the round: the partial debrief shows it.
    expect(end.kinds).toEqual(["loop-ended", "debrief"]);
    expect(end.outputs[0]).toEqual({ kind: "loop-ended", answered: true });
    await expect(r.conductor.end("U1", new RecordingDisplay())).rejects.toBeInstanceOf(NoActiveLoopError);
    expect(await r.conductor.takeRound("U1", { force: true }, new RecordingDisplay())).toMatchObject({ kind: "none", latest: { status: "abandoned" } });

    // A loop ended before anything was answered or skipped has nothing to debrief.
    await started(r);
    const early = new RecordingDisplay();
    await r.conductor.end("U1", early);
    expect(early.outputs).toEqual([{ kind: "loop-ended", answered: false }]);
  });

  it("unlocks the model answer button only after an answer, and only for the loop's candidate", async () => {
    const r = rig();
    const { thread } = await started(r);
    expect(await r.conductor.modelAnswer(thread, "U2", new RecordingDisplay())).toEqual([]);
    expect(await r.conductor.modelAnswer(thread, "U1", new RecordingDisplay())).toEqual([{ kind: "answer-first" }]);
    await say(r, thread, HM_ANSWER);
    const shown = await r.conductor.modelAnswer(thread, "U1", new RecordingDisplay());
    expect(shown).toMatchObject([{ kind: "model-answer", answer: { question: { id: "hm-past-experience" } } }]);
    expect((await say(r, thread, "A better answer now.")).display.kinds).toEqual(["grading", "after-model-answer"]);
  });
});
