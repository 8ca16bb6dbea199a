/** Stored answers keep loading across the change that made the offline check signal-free. */
import { describe, expect, it } from "vitest";
import { answerRecordSchema } from "../../src/engine/store/records.js";
import { loopTurnSchema } from "../../src/engine/loop/records.js";

const base = {
  id: "a1",
  userId: "U1",
  questionId: "mm-churn",
  roundId: "ml-modeling",
  thread: { channel: "C1", ts: "1.2" },
  turn: 0,
  text: "answer",
  createdAt: "2026-01-01T00:00:00.000Z",
};
const critique = {
  questionId: "mm-churn",
  roundId: "ml-modeling",
  grader: "offline",
  overall: 2.5,
  dimensions: [{ id: "problem-framing", title: "Framing", score: 3, justification: "ok", evidence: [] }],
  strengths: [],
  gaps: [],
  followUp: "Why?",
  injectionSuspected: false,
  droppedQuotes: 0,
};

describe("stored critiques", () => {
  it("load an old record that carries a hire signal and no corrections", () => {
    const parsed = answerRecordSchema.parse({ ...base, critique: { ...critique, signal: "hire" } });
    expect(parsed.critique.signal).toBe("hire");
    expect(parsed.critique.corrections).toEqual([]);
  });

  it("load a new offline record with a null signal, corrections, relevance and follow-up feedback", () => {
    const fresh = {
      ...critique,
      signal: null,
      corrections: [{ claim: "c", correction: "k", dimension: "problem-framing", quote: "q" }],
      relevance: { addressesQuestion: false, closerTo: { questionId: "mm-ltv", prompt: "LTV?" } },
      followUpFeedback: { probe: "p", added: ["x"], stillMissing: [], moved: [{ id: "problem-framing", title: "Framing", from: 2, to: 3 }] },
    };
    const parsed = answerRecordSchema.parse({ ...base, critique: fresh });
    expect(parsed.critique).toMatchObject(fresh);
  });

  it("still reject a signal that is neither a hire signal nor null", () => {
    expect(answerRecordSchema.safeParse({ ...base, critique: { ...critique, signal: "maybe" } }).success).toBe(false);
  });

  it("load loop turns with and without a signal", () => {
    const turn = { answerId: "a1", at: base.createdAt, grader: "offline", overall: 2, hintsUsed: 0, dimensions: [], strengths: [], gaps: [] };
    expect(loopTurnSchema.parse({ ...turn, signal: null }).signal).toBeNull();
    expect(loopTurnSchema.parse({ ...turn, grader: "llm", signal: "no-hire" }).signal).toBe("no-hire");
  });
});
