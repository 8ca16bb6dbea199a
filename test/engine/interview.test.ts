import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { QuestionBank } from "../../src/engine/content/bank.js";
import { loadRounds } from "../../src/engine/content/load.js";
import { contentPaths } from "../../src/engine/content/paths.js";
import { createGrader } from "../../src/engine/grading/grader.js";
import { InterviewService } from "../../src/engine/interview/service.js";
import { UnknownRoundError } from "../../src/engine/interview/errors.js";
import { InterviewStore } from "../../src/engine/store/interview-store.js";
import { JsonDocs } from "../../src/infra/embedded/json-docs.js";

const { roundsDir, promptsDir } = contentPaths();
const bank = new QuestionBank(loadRounds(roundsDir));

function service(maxAnswerChars = 5_000) {
  const store = new InterviewStore(new JsonDocs(mkdtempSync(join(tmpdir(), "engine-"))));
  let seed = 42;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  return new InterviewService({ bank, store, grader: createGrader({ promptsDir }), maxAnswerChars, random });
}

async function ask(svc: InterviewService, userId: string, round: string, ts: string) {
  const ref = await svc.chooseQuestion(userId, round);
  return svc.questionPosted({ key: { channel: "D1", ts }, ref, askedBy: userId, audience: "dm", origin: "ask" });
}

describe("InterviewService", () => {
  it("never repeats a question for a person until the round's pool is exhausted", async () => {
    const svc = service();
    const round = bank.round("ml-system-design");
    const seen: string[] = [];
    for (let i = 0; i < round.questions.length; i++) seen.push((await ask(svc, "U1", "mlsd", `1.${i}`)).questionId);
    expect(new Set(seen).size).toBe(round.questions.length);
    const again = await ask(svc, "U1", "mlsd", "2.0");
    expect(again.questionId).toBe(seen[0]);
  });

  it("rejects an unknown round with the list of rounds", async () => {
    await expect(service().chooseQuestion("U1", "cooking")).rejects.toBeInstanceOf(UnknownRoundError);
  });

  it("grades the answer, then treats the next reply as the answer to the follow-up probe", async () => {
    const svc = service();
    const thread = await ask(svc, "U1", "mlsd", "1.1");
    const first = await svc.answer({ thread, userId: "U1", text: "I would optimise NDCG@10 with a LambdaMART ranker over BM25 candidates, A/B tested on add-to-cart rate." });
    expect(first.kind).toBe("graded");
    if (first.kind !== "graded") return;
    expect(first.nextFollowUp).toBe(bank.get(thread.questionId).question.followUps[0]);
    const second = await svc.answer({ thread: first.thread, userId: "U1", text: "Start with add-to-cart rate per search." });
    expect(second.kind === "graded" && second.answer.followUp).toBe(first.nextFollowUp);
    expect(second.kind === "graded" && second.answer.turn).toBe(1);
  });

  it("grades two quick replies from one person in order: the second answers the follow-up", async () => {
    const svc = service();
    const thread = await ask(svc, "U1", "mlsd", "1.1");
    const [first, second] = await Promise.all([
      svc.answer({ thread, userId: "U1", text: "LambdaMART over BM25 candidates, NDCG@10 offline." }),
      svc.answer({ thread, userId: "U1", text: "Add-to-cart rate per search as the first metric." }),
    ]);
    expect(first.kind === "graded" && first.answer.turn).toBe(0);
    expect(second.kind === "graded" && second.answer.turn).toBe(1);
    expect(second.kind === "graded" && second.answer.followUp).toBe(first.kind === "graded" ? first.nextFollowUp : "");
  });

  it("unlocks the model answer only after this person answered, with the points they missed", async () => {
    const svc = service();
    const thread = await ask(svc, "U1", "behavioral", "1.1");
    expect(await svc.modelAnswer(thread, "U1")).toEqual({ kind: "answer-first" });
    const graded = await svc.answer({ thread, userId: "U1", text: "I built a thing." });
    expect(graded.kind).toBe("graded");
    const model = await svc.modelAnswer(thread, "U1");
    expect(model?.kind).toBe("model-answer");
    if (model?.kind === "model-answer") expect(model.missedPoints.length).toBeGreaterThan(0);
    expect(await svc.modelAnswer(thread, "U2")).toEqual({ kind: "answer-first" });
  });

  it("gives hints in order and says when they run out", async () => {
    const svc = service();
    const thread = await ask(svc, "U1", "ir", "1.1");
    const hints = bank.get(thread.questionId).question.hints;
    for (let i = 0; i < hints.length; i++) expect(await svc.hint(thread, "U1")).toMatchObject({ kind: "hint", index: i + 1, text: hints[i] });
    expect(await svc.hint(thread, "U1")).toMatchObject({ kind: "no-more-hints" });
  });

  it("refuses an answer over the limit without saving it, and asks for code on a coding question", async () => {
    const svc = service(300);
    const thread = await ask(svc, "U1", "mlsd", "1.1");
    expect(await svc.answer({ thread, userId: "U1", text: "a".repeat(301) })).toEqual({ kind: "too-long", length: 301, limit: 300 });
    expect(await svc.store.peekUser("U1").then((d) => d?.answers.length)).toBe(0);
    const coding = await ask(svc, "U1", "coding", "1.2");
    expect((await svc.answer({ thread: coding, userId: "U1", text: "I'd use a hash set" })).kind).toBe("needs-code");
  });
});
