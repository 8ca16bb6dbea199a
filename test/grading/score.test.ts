import { describe, expect, it } from "vitest";
import { checkQuotes, quoteIsInAnswer } from "../../src/engine/grading/evidence.js";
import { finalScores, hintCaps, hintedDimension, hireSignal, weightedOverall } from "../../src/engine/grading/score.js";
import type { DimensionScore } from "../../src/engine/grading/types.js";
import { loadRound, questionOf } from "./load-round.js";

const round = loadRound("ml-system-design");
const question = questionOf(round, "mlsd-grocery-search-ranking");

function dims(scores: Record<string, number>): DimensionScore[] {
  return round.rubric.map((d) => ({ id: d.id, title: d.title, score: scores[d.id] ?? 1, justification: "", evidence: [] }));
}

describe("overall score and hire signal", () => {
  it("is the rubric-weighted mean rounded to two decimals", () => {
    // Weights in the file: framing .2, data .15, modeling .2, serving .15, evaluation .2, iteration .1
    const all = Object.fromEntries(round.rubric.map((d) => [d.id, 3]));
    expect(weightedOverall(round.rubric, dims(all))).toBe(3);
    const mixed: Record<string, number> = { ...all, "problem-framing": 4, "iteration-tradeoffs": 1 };
    const expected = round.rubric.reduce((s, d) => s + d.weight * mixed[d.id]!, 0) / round.rubric.reduce((s, d) => s + d.weight, 0);
    expect(weightedOverall(round.rubric, dims(mixed))).toBe(Math.round(expected * 100) / 100);
  });

  it("maps the overall score to a hire signal at the documented thresholds", () => {
    expect(hireSignal(4)).toBe("strong-hire");
    expect(hireSignal(3.5)).toBe("strong-hire");
    expect(hireSignal(3.49)).toBe("hire");
    expect(hireSignal(2.75)).toBe("hire");
    expect(hireSignal(2.74)).toBe("no-hire");
    expect(hireSignal(2)).toBe("no-hire");
    expect(hireSignal(1.99)).toBe("strong-no-hire");
    expect(hireSignal(1)).toBe("strong-no-hire");
  });
});

describe("hint caps", () => {
  const hinted = hintedDimension(round, question);

  it("targets the dimension most of the question's key points belong to", () => {
    const counts = new Map<string, number>();
    for (const k of question.keyPoints) counts.set(k.dimension, (counts.get(k.dimension) ?? 0) + 1);
    expect(counts.get(hinted)).toBe(Math.max(...counts.values()));
  });

  it("caps at 3 after one hint, 2 after two, and everything at 3 after three", () => {
    expect(hintCaps(round, question, 0)).toEqual({});
    expect(hintCaps(round, question, 1)).toEqual({ [hinted]: 3 });
    expect(hintCaps(round, question, 2)).toEqual({ [hinted]: 2 });
    const three = hintCaps(round, question, 3);
    expect(three[hinted]).toBe(2);
    for (const d of round.rubric.filter((d) => d.id !== hinted)) expect(three[d.id]).toBe(3);
  });

  it("lowers capped scores, records the cap and recomputes the overall", () => {
    const fours = dims(Object.fromEntries(round.rubric.map((d) => [d.id, 4])));
    const free = finalScores(round, question, fours, 0);
    const capped = finalScores(round, question, fours, 2);
    expect(free.overall).toBe(4);
    expect(capped.dimensions.find((d) => d.id === hinted)).toMatchObject({ score: 2, cappedAt: 2 });
    expect(capped.dimensions.filter((d) => d.cappedAt !== undefined)).toHaveLength(1);
    expect(capped.overall).toBeLessThan(4);
    expect(capped.signal).toBe(hireSignal(capped.overall));
  });
});

describe("evidence quotes", () => {
  const answer = `We rank with LambdaMART.  It's trained on   "add-to-cart" labels —\nnot clicks — and evaluated on NDCG@10.`;

  it("finds quotes despite different quote marks, dashes, spacing, case and elisions", () => {
    expect(quoteIsInAnswer("it\u2019s trained on \u201Cadd-to-cart\u201D labels", answer)).toBe(true);
    expect(quoteIsInAnswer("labels - not clicks - and evaluated", answer)).toBe(true);
    expect(quoteIsInAnswer("trained on clicks", answer)).toBe(false);
    expect(quoteIsInAnswer("\"We rank with LambdaMART.\"", answer)).toBe(true);
    expect(quoteIsInAnswer("we rank with lambdamart … evaluated on NDCG@10", answer)).toBe(true);
  });

  it("drops and counts quotes that are not in the answer; blank quotes are just 'no evidence'", () => {
    const result = checkQuotes(answer, ["We rank with LambdaMART", "We rank with a neural network", "", "  ", "evaluated on NDCG@10 … we rank"]);
    expect(result.kept).toEqual(["We rank with LambdaMART"]);
    expect(result.dropped).toBe(2);
  });
});

describe("code judge caps", () => {
  // A rubric shaped like a coding round's, built from the real one so weights stay realistic.
  const coding = {
    ...round,
    rubric: round.rubric.map((d, i) => (i === 0 ? { ...d, id: "correctness" } : i === 1 ? { ...d, id: "complexity" } : d)),
  };
  const fours = coding.rubric.map((d) => ({ id: d.id, title: d.title, score: 4, justification: "", evidence: [] }));
  const run = (passed: number, verdict = passed === 10 ? "accepted" : "wrong_answer") => ({ language: "python", verdict, passed, total: 10 });
  const scoreOf = (r: ReturnType<typeof finalScores>, id: string) => r.dimensions.find((d) => d.id === id)!.score;

  it("keeps correctness in line with the tests that passed", () => {
    expect(scoreOf(finalScores(coding, question, fours, 0, run(10)), "correctness")).toBe(4);
    // Failing any hidden test caps correctness at 2 (issue 9), however many passed.
    expect(scoreOf(finalScores(coding, question, fours, 0, run(9)), "correctness")).toBe(2);
    expect(scoreOf(finalScores(coding, question, fours, 0, run(6)), "correctness")).toBe(2);
    expect(scoreOf(finalScores(coding, question, fours, 0, run(2)), "correctness")).toBe(2);
    expect(scoreOf(finalScores(coding, question, fours, 0, run(0, "compile_error")), "correctness")).toBe(1);
  });

  it("caps complexity when the time limit was exceeded, and nothing without a code run", () => {
    expect(scoreOf(finalScores(coding, question, fours, 0, run(8, "time_limit_exceeded")), "complexity")).toBe(2);
    expect(finalScores(coding, question, fours, 0, undefined).overall).toBe(4);
    expect(scoreOf(finalScores(coding, question, fours, 0, run(8, "memory_limit_exceeded")), "complexity")).toBe(2);
  });

  it("raises correctness and complexity to at least 3 for accepted code, below any hint cap", () => {
    const ones = coding.rubric.map((d) => ({ id: d.id, title: d.title, score: 1, justification: "", evidence: [] }));
    const accepted = finalScores(coding, question, ones, 0, run(10));
    expect(scoreOf(accepted, "correctness")).toBe(3);
    expect(scoreOf(accepted, "complexity")).toBe(3);
    expect(scoreOf(accepted, coding.rubric[2]!.id)).toBe(1);
    // A failing run raises nothing.
    expect(scoreOf(finalScores(coding, question, ones, 0, run(9)), "correctness")).toBe(1);
    // Hints still cap after the floor.
    const hinted = finalScores(coding, question, ones, 3, run(10));
    for (const d of hinted.dimensions) expect(d.score).toBeLessThanOrEqual(3);
  });
});
