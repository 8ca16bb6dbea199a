import { describe, expect, it } from "vitest";
import { QuestionBank } from "../../../src/engine/content/bank.js";
import { loadRounds } from "../../../src/engine/content/load.js";
import { contentPaths } from "../../../src/engine/content/paths.js";
import type { Critique } from "../../../src/engine/grading/types.js";
import type { AnswerOutcome } from "../../../src/engine/interview/service.js";
import type { AnswerRecord, ThreadRecord } from "../../../src/engine/store/records.js";
import { FOLLOW_UP_PENDING_TEXT, loopThreadMessage } from "../../../src/slack/blocks/loop-thread.js";
import { QUESTION_DONE_TEXT } from "../../../src/slack/blocks/loop-round.js";

const bank = new QuestionBank(loadRounds(contentPaths().roundsDir));
const all = (value: unknown) => JSON.stringify(value);
const ctx = { userId: "U1" };

const critique: Critique = {
  questionId: "hm-past-experience",
  roundId: "hiring-manager",
  grader: "llm",
  model: "gpt-test",
  overall: 3,
  signal: "hire",
  corrections: [],
  dimensions: [{ id: "impact", title: "Impact", score: 3, justification: "Names the metric.", evidence: ["conversion rose by 2 percent"] }],
  strengths: ["Clear metric"],
  gaps: ["No rollback plan"],
  followUp: "How would you roll it back?",
  injectionSuspected: false,
  droppedQuotes: 0,
};

function graded(nextFollowUp?: string): AnswerOutcome {
  return { kind: "graded", thread: {} as ThreadRecord, answer: { id: "A1" } as AnswerRecord, critique, ...(nextFollowUp ? { nextFollowUp } : {}) };
}

describe("mock-loop thread messages", () => {
  it("ends a critique with what to do next: answer the probe, or move on once the probes are done", () => {
    const pending = loopThreadMessage({ kind: "critique", outcome: graded("How would you roll it back?"), roundTitle: "Hiring manager", threadTs: "1.2", followUpPending: true }, ctx);
    expect(pending.text).toContain("Overall 3.00 / 4");
    expect(pending.blocks!.at(-1)).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: FOLLOW_UP_PENDING_TEXT }] });
    const done = loopThreadMessage({ kind: "critique", outcome: graded(), roundTitle: "Hiring manager", threadTs: "1.2", followUpPending: false }, ctx);
    expect(done.blocks!.at(-1)).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: QUESTION_DONE_TEXT }] });
    expect(done.blocks!.length).toBeLessThanOrEqual(50);
    // An answer that could not be graded gets the plain request, without a loop footer.
    const empty = loopThreadMessage({ kind: "critique", outcome: { kind: "empty" }, roundTitle: "Hiring manager", threadTs: "1.2", followUpPending: false }, ctx);
    expect(empty).toEqual({ text: expect.stringContaining("I didn't find an answer") });
  });

  it("escapes hint text and says which dimension the hint caps", () => {
    const hint = loopThreadMessage({ kind: "hint", index: 1, total: 3, text: "Use <!channel> & a hash set", cap: { dimensionTitle: "Edge cases <b>", cap: 3 } }, ctx);
    expect(hint.text).toContain(":bulb: Hint 1/3: Use @channel &amp; a hash set");
    expect(hint.text).toContain("Edge cases &lt;b&gt; is now capped at 3/4");
    expect(loopThreadMessage({ kind: "hint", index: 2, total: 3, text: "Sort first" }, ctx).text).not.toContain("capped");
    expect(loopThreadMessage({ kind: "no-more-hints", total: 3 }, ctx).text).toContain("That was the last hint (3 in all)");
  });

  it("says where the loop is when a reply lands in a thread that is not the current question's", () => {
    expect(loopThreadMessage({ kind: "not-current", reason: "completed" }, ctx).text).toContain("This mock onsite is over");
    expect(loopThreadMessage({ kind: "not-current", reason: "abandoned" }, ctx).text).toContain("This mock onsite was ended");
    expect(loopThreadMessage({ kind: "not-current", reason: "round-over", current: { title: "IR *&* ranking", open: true } }, ctx).text).toBe(
      "This round is over. The loop goes on in the *IR *&amp;* ranking* thread.",
    );
    expect(loopThreadMessage({ kind: "not-current", reason: "round-over", current: { title: "Coding", open: false } }, ctx).text).toContain("Next up: *Coding* — `/interview loop` shows when.");
  });

  it("renders the next question, the round's end with the next round's time, and the loop's end", () => {
    const round = bank.round("ir-ranking");
    const question = loopThreadMessage({ kind: "next-question", round, question: round.questions[1]!, questionIndex: 1, questionCount: 2 }, ctx);
    expect(question.text).toMatch(/^Question 2 of 2: /);
    expect(all(question.blocks)).toContain("`hint`, `next`, `skip`");
    const next = { round: bank.round("ml-system-design"), dueAt: new Date("2025-03-11T16:30:00Z"), tz: "America/Los_Angeles" };
    expect(loopThreadMessage({ kind: "round-ended", round, next }, ctx).text).toContain("09:30");
    expect(loopThreadMessage({ kind: "round-ended", round, next: { round: next.round } }, ctx).text).toContain("a new thread below");
    expect(loopThreadMessage({ kind: "round-ended", round }, ctx).text).toContain("debrief follows");
    expect(loopThreadMessage({ kind: "loop-ended", answered: true }, ctx).text).toContain("debrief of the rounds you sat follows");
    expect(loopThreadMessage({ kind: "loop-ended", answered: false }, ctx).text).toContain("nothing to debrief");
  });

  it("leads the model answer with what was missed and asks to move on; apologises by mention on a failure", () => {
    const question = bank.get("hm-past-experience").question;
    const model = loopThreadMessage({ kind: "model-answer", answer: { kind: "model-answer", question, referenceAnswer: "A **strong** answer", missedPoints: ["Quantify the impact"] } }, ctx);
    expect(all(model.blocks)).toContain("What your answer missed");
    expect(all(model.blocks!.at(-1))).toContain("Type `next` when you're ready to move on.");
    expect(loopThreadMessage({ kind: "answer-first" }, ctx).text).toContain("Answer first");
    expect(loopThreadMessage({ kind: "failed", userId: "U9" }, ctx).text).toMatch(/^<@U9> Sorry — something went wrong on our side/);
  });
});
