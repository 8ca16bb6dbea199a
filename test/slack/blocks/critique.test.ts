import { describe, expect, it } from "vitest";
import { critiqueBlocks } from "../../../src/slack/blocks/critique.js";
import { answerOutcomeMessage } from "../../../src/slack/blocks/answer-outcome.js";
import type { Critique } from "../../../src/engine/grading/types.js";

function critique(overrides: Partial<Critique> = {}): Critique {
  return {
    questionId: "mlsd-grocery-search-ranking",
    roundId: "ml-system-design",
    grader: "llm",
    model: "gpt-test",
    overall: 2.75,
    signal: "hire",
    corrections: [],
    dimensions: [
      { id: "metrics", title: "Metrics", score: 3, justification: "Names NDCG.", evidence: ["I'd track <!channel> NDCG@10 & add-to-cart"] },
      { id: "framing", title: "Framing", score: 2, justification: "Vague.", evidence: [] },
    ],
    strengths: ["Clear metric"],
    gaps: ["No position-bias correction"],
    followUp: "How would you debias clicks?",
    injectionSuspected: false,
    droppedQuotes: 0,
    ...overrides,
  };
}

const allText = (blocks: unknown) => JSON.stringify(blocks);

describe("critiqueBlocks", () => {
  it("shows the overall score, the signal, each dimension with its score and quoted evidence", () => {
    const { blocks, text } = critiqueBlocks({ critique: critique(), roundTitle: "ML System Design", threadTs: "1.2", nextFollowUp: "How would you debias clicks?" });
    const rendered = allText(blocks);
    expect(rendered).toContain("Overall 2.75 / 4 · Hire");
    expect(rendered).toContain("*Metrics* ▰▰▰▱ 3/4");
    expect(rendered).toContain("NDCG@10");
    expect(rendered).toContain("Follow-up:* How would you debias clicks?");
    expect(text).toContain("Overall 2.75 / 4 · Hire");
  });

  it("escapes the candidate's text so it cannot ping channels or forge links", () => {
    const rendered = allText(critiqueBlocks({ critique: critique(), roundTitle: "R", threadTs: "1.2" }).blocks);
    expect(rendered).not.toContain("<!channel>");
    expect(rendered).toContain("@channel NDCG@10");
    expect(rendered).toContain("&amp; add-to-cart");
  });

  it("labels the offline grader and says why the LLM was not used", () => {
    const rendered = allText(critiqueBlocks({ critique: critique({ grader: "offline", signal: null, fallbackReason: "timed out" }), roundTitle: "R", threadTs: "1.2" }).blocks);
    expect(rendered).toContain("Offline rubric check");
    expect(rendered).toContain("timed out");
  });

  it("shows the offline check's number as key-point coverage, never a hire signal", () => {
    const { blocks, text } = critiqueBlocks({ critique: critique({ grader: "offline", signal: null }), roundTitle: "R", threadTs: "1.2" });
    const rendered = allText(blocks);
    expect(rendered).toContain("Key-point coverage 2.75 / 4");
    expect(rendered).not.toMatch(/\b(Strong hire|No hire|Hire)\b/);
    expect(text).toContain("Key-point coverage 2.75 / 4");
  });

  it("shows corrections with the candidate's sentence, escaped, and says when the answer is off-topic", () => {
    const rendered = allText(
      critiqueBlocks({
        critique: critique({
          grader: "offline",
          signal: null,
          corrections: [{ claim: "AUC is accuracy at 0.5", correction: "AUC is threshold-free.", dimension: "metrics", quote: "AUC <!here> is accuracy at 0.5" }],
          relevance: { addressesQuestion: false, closerTo: { questionId: "q2", prompt: "Design fraud detection" } },
        }),
        roundTitle: "R",
        threadTs: "1.2",
      }).blocks,
    );
    expect(rendered).toContain("*Corrections*");
    expect(rendered).toContain("AUC is threshold-free.");
    // A mention quoted from the answer reads as text, never as a live token.
    expect(rendered).toContain("@here");
    expect(rendered).not.toContain("<!here>");
    expect(rendered).toContain("does not address the question asked");
    expect(rendered).toContain("Design fraud detection");
  });

  it("answers a follow-up with feedback on the reply instead of reprinting the critique", () => {
    const rendered = allText(
      critiqueBlocks({
        critique: critique({
          followUpFeedback: {
            probe: "How would you debias clicks?",
            added: ["Corrects position bias with IPW"],
            stillMissing: ["Validates online"],
            moved: [{ id: "metrics", title: "Metrics", from: 2, to: 3 }],
          },
        }),
        roundTitle: "R",
        threadTs: "1.2",
        followUpAnswered: "How would you debias clicks?",
      }).blocks,
    );
    expect(rendered).toContain("Follow-up feedback");
    expect(rendered).toContain("You were asked:* How would you debias clicks?");
    expect(rendered).toContain("Corrects position bias with IPW");
    expect(rendered).toContain("Metrics 2 → 3");
    expect(rendered).toContain("Validates online");
    expect(rendered).not.toContain("*Strengths*");
    expect(rendered).not.toContain("Names NDCG.");
  });

  it("keeps every section within Slack's 3,000-character limit for huge justifications", () => {
    const huge = "x ".repeat(5000);
    const { blocks } = critiqueBlocks({
      critique: critique({ dimensions: Array.from({ length: 6 }, (_, i) => ({ id: `d${i}`, title: huge, score: 2, justification: huge, evidence: [huge] })), strengths: [huge], gaps: [huge] }),
      roundTitle: "R",
      threadTs: "1.2",
    });
    for (const b of blocks) {
      if (b.type === "section" && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    }
  });

  it("carries the question's thread ts on the Model answer button", () => {
    const { blocks } = critiqueBlocks({ critique: critique(), roundTitle: "R", threadTs: "1700.0001" });
    const actions = blocks.find((b) => b.type === "actions");
    expect(allText(actions)).toContain('"value":"1700.0001"');
    expect(allText(actions)).toContain("question_model_answer");
  });
});

describe("answerOutcomeMessage", () => {
  const ctx = { userId: "U1", roundTitle: "Coding", threadTs: "1.2", audience: "channel" as const };
  it("tells a too-long answer its size and the limit, and that nothing was lost", () => {
    const { text } = answerOutcomeMessage({ kind: "too-long", length: 20_000, limit: 12_000 }, ctx);
    expect(text).toContain("20,000");
    expect(text).toContain("12,000");
    expect(text).toContain("still in the thread");
  });
  it("names the person in a channel thread", () => {
    expect(answerOutcomeMessage({ kind: "empty" }, ctx).text).toContain("<@U1>");
    expect(answerOutcomeMessage({ kind: "empty" }, { ...ctx, audience: "dm" }).text).not.toContain("<@U1>");
  });
});
