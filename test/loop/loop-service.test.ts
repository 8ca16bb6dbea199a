import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LoopAlreadyActiveError, NoActiveLoopError } from "../../src/engine/loop/errors.js";
import { ONSITE_ROUNDS } from "../../src/engine/loop/plan.js";
import { hintedDimension } from "../../src/engine/grading/score.js";
import { delimitedAnswer, startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai.js";
import { bank, current, harness, postRound, skipRest } from "./support.js";

let openai: FakeOpenAI;
beforeAll(async () => {
  openai = await startFakeOpenAI({ smartScore: 4 });
});
afterAll(async () => {
  await openai.close();
});

const IR_ANSWER =
  "In my last NLP project I built a product search ranker for a grocery catalogue. " +
  "Sparse features were BM25 scores and query-term matches; dense features were sentence embeddings from a fine-tuned BERT. " +
  "We measured NDCG@10 offline and add-to-cart rate online, and the launch lifted conversion by 3 percent.";

describe("a mock loop in the engine", () => {
  it("plans the seed's onsite in order — the hiring-manager chat first only when asked — with the seed's questions on a first loop", async () => {
    const h = harness();
    const loop = await h.loops.start({ userId: "U1", withHm: false, pacing: { kind: "all" } });
    expect(loop.rounds.map((r) => r.roundId)).toEqual([...ONSITE_ROUNDS]);
    for (const r of loop.rounds) {
      expect(r.questions.length).toBeGreaterThanOrEqual(1);
      expect(r.questions.length).toBeLessThanOrEqual(3);
      expect(r.timeGuideMinutes).toBe(bank.round(r.roundId).timeGuideMinutes);
    }
    const ids = (roundId: string) => loop.rounds.find((r) => r.roundId === roundId)!.questions.map((q) => q.questionId);
    expect(ids("coding")).toEqual(["two-sum-zero", "word-count-mapreduce"]);
    expect(ids("ml-system-design")).toEqual(["mlsd-grocery-search-ranking"]);
    expect(ids("ir-ranking")[0]).toBe("ir-past-nlp-project");
    expect(ids("behavioral")[0]).toBe("bh-favorite-project");
    // The behavioral round ends with a product-design question.
    expect(bank.get(ids("behavioral").at(-1)!).question.tags).toContain("product-sense");

    const other = harness();
    const withHm = await other.loops.start({ userId: "U2", withHm: true, pacing: { kind: "all" } });
    expect(withHm.rounds.map((r) => r.roundId)).toEqual(["hiring-manager", ...ONSITE_ROUNDS]);
    expect(withHm.rounds[0]!.questions[0]!.questionId).toBe("hm-past-experience");
  });

  it("runs one person's loop at a time and records an abandoned loop with its time", async () => {
    const h = harness();
    await h.loops.start({ userId: "U1", withHm: false, pacing: { kind: "all" } });
    await expect(h.loops.start({ userId: "U1", withHm: false, pacing: { kind: "all" } })).rejects.toBeInstanceOf(LoopAlreadyActiveError);
    const state = await postRound(h, "U1");
    const ended = await h.loops.abandon("U1");
    expect(ended.status).toBe("abandoned");
    expect(ended.endedAt).toBeDefined();
    expect(ended.debrief?.recommendation.outcome).toBe("incomplete");
    // The round's thread no longer takes answers.
    expect((await h.interview.thread(state.thread))?.status).toBe("closed");
    await expect(h.loops.abandon("U1")).rejects.toBeInstanceOf(NoActiveLoopError);
    const again = await h.loops.start({ userId: "U1", withHm: false, pacing: { kind: "all" } });
    const listed = await h.loops.list("U1");
    expect(listed.map((l) => [l.id, l.status])).toEqual([
      [again.id, "active"],
      [ended.id, "abandoned"],
    ]);
    expect(listed[1]!.recommendation).toBe("incomplete");
  });

  it("grades a follow-up answer with the earlier answer as context, then moves to the next question in the same thread", async () => {
    const h = harness({ llmUrl: openai.url, followUpDepth: 1 });
    const loop = await h.loops.start({ userId: "U1", withHm: false, pacing: { kind: "all" } });
    // Skip the coding round (its questions need code) to reach the IR round.
    let state = await postRound(h, "U1");
    await h.loops.advance(state);
    state = await current(h, state.thread);
    const ended = await h.loops.advance(state);
    expect(ended).toMatchObject({ kind: "round-ended", next: { roundIndex: 1 } });
    expect((ended as { next: { dueAt?: Date } }).next.dueAt).toBeUndefined();

    const ir = await postRound(h, "U1");
    const irQuestion = bank.get(loop.rounds[1]!.questions[0]!.questionId).question;
    const first = await h.loops.answer(ir, { text: IR_ANSWER });
    expect(first.kind === "answered" && first.outcome.kind === "graded" && first.outcome.nextFollowUp).toBe(irQuestion.followUps[0]);

    const followUp = await h.loops.answer(await current(h, ir.thread), { text: "I would start with a simple metric: NDCG@10 on logged clicks." });
    expect(followUp.kind === "answered" && followUp.outcome.kind === "graded" && followUp.outcome.answer.followUp).toBe(irQuestion.followUps[0]);
    const request = openai.requests.at(-1)!;
    const userMessage = String(request.body.messages.find((m: { role: string }) => m.role === "user").content);
    expect(delimitedAnswer(request.body)).toContain("NDCG@10 on logged clicks");
    expect(userMessage).toContain("EARLIER-ANSWER");
    expect(userMessage).toContain("Sparse features were BM25 scores");
    expect(userMessage).toContain(irQuestion.followUps[0]);
    // Depth 1 reached: a further reply is not graded.
    expect(await h.loops.answer(await current(h, ir.thread), { text: "One more thought." })).toEqual({ kind: "question-done" });

    const step = await h.loops.advance(await current(h, ir.thread));
    expect(step.kind).toBe("question");
    if (step.kind !== "question") return;
    expect(step.thread).toEqual({ channel: ir.thread.channel, ts: ir.thread.ts });
    const second = await current(h, ir.thread);
    expect(second.questionIndex).toBe(1);
    expect((await h.interview.thread(ir.thread))?.questionId).toBe(step.ref.question.id);
    // The new question's first answer carries no earlier turns from the previous question.
    await h.loops.answer(second, { text: "Dense features come from embeddings; sparse ones from term matches." });
    const fresh = String(openai.requests.at(-1)!.body.messages.find((m: { role: string }) => m.role === "user").content);
    expect(fresh).not.toContain("EARLIER-ANSWER");
    expect(fresh).not.toContain("Sparse features were BM25 scores");
    const stored = (await h.loops.get("U1", loop.id))!;
    expect(stored.rounds[1]!.questions[0]!.turns).toHaveLength(2);
    expect(stored.rounds[1]!.questions[0]!.status).toBe("answered");
  });

  it("caps the hinted dimension for each hint taken, and the debrief shows the hints and the caps", async () => {
    const h = harness({ llmUrl: openai.url, followUpDepth: 0 });
    const loop = await h.loops.start({ userId: "U1", withHm: false, pacing: { kind: "all" } });
    let state = await postRound(h, "U1");
    await h.loops.advance(state);
    await h.loops.advance(await current(h, state.thread));
    state = await postRound(h, "U1");
    const round = bank.round("ir-ranking");
    const hinted = bank.get(loop.rounds[1]!.questions[0]!.questionId).question;
    const dim = hintedDimension(round, hinted);
    expect(await h.loops.hint(state)).toMatchObject({ kind: "hint", index: 1, text: hinted.hints[0] });
    expect(await h.loops.hint(state)).toMatchObject({ kind: "hint", index: 2, text: hinted.hints[1] });
    const capped = await h.loops.answer(state, { text: IR_ANSWER });
    if (capped.kind !== "answered" || capped.outcome.kind !== "graded") throw new Error("not graded");
    expect(capped.outcome.critique.dimensions.find((d) => d.id === dim)).toMatchObject({ score: 2, cappedAt: 2 });
    expect(capped.outcome.critique.dimensions.filter((d) => d.id !== dim).every((d) => d.score === 4)).toBe(true);

    await h.loops.advance(await current(h, state.thread));
    const unhinted = await h.loops.answer(await current(h, state.thread), { text: IR_ANSWER });
    if (unhinted.kind !== "answered" || unhinted.outcome.kind !== "graded") throw new Error("not graded");
    expect(unhinted.outcome.critique.dimensions.every((d) => d.score === 4)).toBe(true);
    expect(capped.outcome.critique.overall).toBeLessThan(unhinted.outcome.critique.overall);

    await h.loops.advance(await current(h, state.thread));
    const done = await skipRest(h, "U1");
    if (done.kind !== "completed") throw new Error("loop did not complete");
    const irDebrief = done.debrief.rounds.find((r) => r.roundId === "ir-ranking")!;
    expect(irDebrief.hints).toEqual([{ questionId: hinted.id, count: 2, dimensionId: dim, dimensionTitle: round.rubric.find((d) => d.id === dim)!.title, cap: 2 }]);
    // The hinted dimension averages over the questions scored on it (2 with the hints, 4 without), 4 elsewhere.
    const onDim = [capped.outcome.critique, unhinted.outcome.critique].flatMap((c) => c.dimensions.filter((d) => d.id === dim).map((d) => d.score));
    expect(onDim[0]).toBe(2);
    expect(irDebrief.dimensions.find((d) => d.id === dim)).toMatchObject({ score: onDim.reduce((a, b) => a + b, 0) / onDim.length, cappedAt: 2 });
    expect(irDebrief.dimensions.filter((d) => d.id !== dim).every((d) => d.score === 4)).toBe(true);
    expect(irDebrief.evidence.length).toBeGreaterThan(0);
    expect(IR_ANSWER).toContain(irDebrief.evidence[0]!.quote);
  });

  it("unlocks the model answer only after an answer, and stops grading that question once it was shown", async () => {
    const h = harness({ llmUrl: openai.url });
    await h.loops.start({ userId: "U1", withHm: false, pacing: { kind: "all" } });
    let state = await postRound(h, "U1");
    await h.loops.advance(state);
    await h.loops.advance(await current(h, state.thread));
    state = await postRound(h, "U1");
    expect(await h.loops.modelAnswer(state)).toEqual({ kind: "answer-first" });
    await h.loops.answer(state, { text: IR_ANSWER });
    const model = await h.loops.modelAnswer(await current(h, state.thread));
    expect(model?.kind).toBe("model-answer");
    if (model?.kind === "model-answer") {
      expect(model.referenceAnswer).toBe(bank.get(state.thread.questionId).question.referenceAnswer);
      expect(model.missedPoints).toContain("Quantify the impact with a metric.");
    }
    expect(await h.loops.answer(await current(h, state.thread), { text: "A better answer now that I have seen it." })).toEqual({ kind: "after-model-answer" });
  });

  it("ends with a debrief decided by the committee rule and feeds three things to practise into the schedule", async () => {
    const h = harness();
    await h.loops.start({ userId: "U1", withHm: true, pacing: { kind: "all" } });
    const done = await skipRest(h, "U1");
    if (done.kind !== "completed") throw new Error("loop did not complete");
    expect(done.loop.status).toBe("completed");
    expect(done.debrief.complete).toBe(true);
    expect(done.debrief.rounds.map((r) => r.roundId)).toEqual(["hiring-manager", ...ONSITE_ROUNDS]);
    // Every question skipped: every round at 1, which rule 1 calls a strong no hire.
    expect(done.debrief.rounds.every((r) => r.signal === "strong-no-hire" && r.reasons.some((x) => x.includes("skipped")))).toBe(true);
    expect(done.debrief.recommendation.outcome).toBe("strong-no-hire");
    expect(done.debrief.recommendation.rule).toMatch(/^Rule 1/);
    expect(done.debrief.focus).toHaveLength(3);
    expect(new Set(done.debrief.focus.map((f) => f.roundId)).size).toBe(3);
    const scheduled = await h.schedule.peek({ kind: "user", id: "U1" });
    expect(scheduled?.focus.map((f) => [f.roundId, f.dimensionId])).toEqual(done.debrief.focus.map((f) => [f.roundId, f.dimensionId]));
    expect((await h.loops.list("U1"))[0]).toMatchObject({ status: "completed", recommendation: "strong-no-hire", roundsDone: 6 });
    expect(await h.loops.active("U1")).toBeUndefined();
  });

  it("survives a restart: a new engine on the same data dir finds the loop and its thread and goes on", async () => {
    const first = harness({ llmUrl: openai.url });
    const loop = await first.loops.start({ userId: "U1", withHm: false, pacing: { kind: "all" } });
    let state = await postRound(first, "U1");
    await first.loops.advance(state);
    await first.loops.advance(await current(first, state.thread));
    state = await postRound(first, "U1");
    await first.loops.hint(state);
    await first.loops.answer(state, { text: IR_ANSWER });

    const restarted = harness({ dataDir: first.dataDir, llmUrl: openai.url });
    expect((await restarted.loops.active("U1"))?.id).toBe(loop.id);
    const resumed = await current(restarted, state.thread);
    expect(resumed).toMatchObject({ roundIndex: 1, questionIndex: 0 });
    const followUp = await restarted.loops.answer(resumed, { text: "I'd start with NDCG@10 as the simple metric." });
    expect(followUp.kind === "answered" && followUp.outcome.kind === "graded" && followUp.outcome.answer.followUp).toBeTruthy();
    // The hint taken before the restart still caps the follow-up.
    if (followUp.kind === "answered" && followUp.outcome.kind === "graded") {
      expect(followUp.outcome.critique.dimensions.some((d) => d.cappedAt === 3)).toBe(true);
    }
    expect(JSON.stringify(openai.requests.at(-1)!.body)).toContain("Sparse features were BM25 scores");
    const stored = (await restarted.loops.get("U1", loop.id))!;
    expect(stored.rounds[1]!.questions[0]).toMatchObject({ hintsTaken: 1 });
    expect(stored.rounds[1]!.questions[0]!.turns).toHaveLength(2);
  });
});
