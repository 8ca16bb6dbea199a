/** The loop's scores keep the offline check honest: coverage from offline turns never becomes a hire signal. */
import { describe, expect, it } from "vitest";
import type { LoopQuestion } from "../../src/engine/loop/records.js";
import { scoreQuestion, scoreRound } from "../../src/engine/loop/scoring.js";
import { bank } from "./support.js";

const { round, question } = bank.get("mm-churn");

function answered(grader: "llm" | "offline", score: number): LoopQuestion {
  return {
    questionId: question.id,
    status: "answered",
    hintsTaken: 0,
    turns: [
      {
        answerId: "a1",
        at: "2026-01-01T00:00:00.000Z",
        grader,
        overall: score,
        signal: grader === "llm" ? "hire" : null,
        hintsUsed: 0,
        dimensions: round.rubric.map((d) => ({ id: d.id, score })),
        strengths: [],
        gaps: [],
      },
    ],
  };
}

describe("loop scoring with the offline check", () => {
  it("gives a question graded offline a coverage score and no signal; an LLM-graded one keeps its signal", () => {
    const offline = scoreQuestion(round, question, answered("offline", 4));
    expect(offline.overall).toBe(4);
    expect(offline.signal).toBeNull();
    expect(scoreQuestion(round, question, answered("llm", 4)).signal).toBe("strong-hire");
  });

  it("gives a round no signal when any of its questions was graded offline", () => {
    const llm = scoreQuestion(round, question, answered("llm", 3));
    const offline = scoreQuestion(round, question, answered("offline", 3));
    expect(scoreRound(round, [llm, llm]).signal).toBe("hire");
    expect(scoreRound(round, [llm, offline]).signal).toBeNull();
  });

  it("scores only the dimensions a question lists", () => {
    const narrowed = { ...question, dimensions: [round.rubric[0]!.id, round.rubric[1]!.id] };
    const record = answered("llm", 3);
    record.turns[0]!.dimensions = record.turns[0]!.dimensions.slice(0, 2);
    const score = scoreQuestion(round, narrowed, record);
    expect(score.dimensions.map((d) => d.id)).toEqual(narrowed.dimensions);
    expect(score.overall).toBe(3);
    expect(scoreRound(round, [score]).dimensions.map((d) => d.id)).toEqual(narrowed.dimensions);
  });
});
