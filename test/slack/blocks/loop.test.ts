import { escapeMrkdwn } from "../../../src/slack/blocks/text.js";
import { describe, expect, it } from "vitest";
import { QuestionBank } from "../../../src/engine/content/bank.js";
import { loadRounds } from "../../../src/engine/content/load.js";
import { contentPaths } from "../../../src/engine/content/paths.js";
import type { Debrief, LoopDoc } from "../../../src/engine/loop/records.js";
import { loopDebriefBlocks } from "../../../src/slack/blocks/loop-debrief.js";
import { loopQuestionMessage, loopRoundEndedText, loopRoundMessage } from "../../../src/slack/blocks/loop-round.js";
import { loopListBlocks, loopStatusBlocks } from "../../../src/slack/blocks/loop-status.js";

const bank = new QuestionBank(loadRounds(contentPaths().roundsDir));
const all = (value: unknown) => JSON.stringify(value);

function debrief(overrides: Partial<Debrief> = {}): Debrief {
  return {
    generatedAt: "2025-03-10T10:00:00.000Z",
    complete: true,
    rounds: [
      {
        roundId: "coding",
        title: "Coding and Algorithms",
        overall: 3.4,
        signal: "hire",
        dimensions: [
          { id: "correctness", title: "Correctness", score: 4 },
          { id: "edge-cases", title: "Edge cases and testing", score: 2.5, cappedAt: 3 },
        ],
        reasons: ["Strongest: Correctness (4.00/4)", "Code for two-sum-zero: accepted, 12/12 tests (python)"],
        evidence: [{ dimensionId: "correctness", dimensionTitle: "Correctness", score: 4, quote: "I used a <!channel> hash set & counted zeros" }],
        hints: [{ questionId: "word-count-mapreduce", count: 1, dimensionId: "edge-cases", dimensionTitle: "Edge cases and testing", cap: 3 }],
        questions: [{ questionId: "two-sum-zero", status: "answered", overall: 3.4, turns: 2, hintsTaken: 0, code: "accepted 12/12" }],
      },
    ],
    recommendation: { outcome: "no-hire", rule: "Rule 2 — no hire: a core round (coding or ML system design) is below the bar", reasons: ["Machine Learning System Design: no hire (core round)"] },
    focus: [
      { roundId: "ml-system-design", dimensionId: "serving-infra", score: 1.5, why: "Machine Learning System Design · Serving averaged 1.50/4" },
      { roundId: "coding", dimensionId: "edge-cases", score: 2.5, why: "Coding and Algorithms · Edge cases averaged 2.50/4" },
    ],
    ...overrides,
  };
}

function loop(overrides: Partial<LoopDoc> = {}): LoopDoc {
  const round = (roundId: string, status: "pending" | "active" | "done", current = 0) => ({
    roundId,
    timeGuideMinutes: 45,
    status,
    current,
    questions: [
      { questionId: bank.round(roundId).questions[0]!.id, status: "answered" as const, hintsTaken: 0, turns: [] },
      { questionId: bank.round(roundId).questions[1]!.id, status: "pending" as const, hintsTaken: 0, turns: [] },
    ],
  });
  return {
    version: 1,
    id: "L1",
    userId: "U1",
    createdAt: "2025-03-10T16:30:00.000Z",
    withHm: false,
    pacing: { kind: "daily", tz: "America/Los_Angeles", time: { hour: 9, minute: 30 } },
    followUpDepth: 3,
    status: "active",
    currentRound: 1,
    nextRoundDueAt: "2025-03-11T16:30:00.000Z",
    rounds: [round("coding", "done"), round("ir-ranking", "pending"), round("ml-system-design", "pending")],
    ...overrides,
  };
}

describe("round messages", () => {
  it("open a round with its place in the loop, time guide and the first question with its commands — not the interviewer's brief", () => {
    const round = bank.round("coding");
    const question = bank.get("two-sum-zero").question;
    const { text, blocks } = loopRoundMessage({ round, roundIndex: 0, roundCount: 5, questionCount: 2, timeGuideMinutes: 45 }, question);
    expect(text).toMatch(/^Mock onsite · Round 1 of 5: Coding and Algorithms/);
    const rendered = all(blocks);
    expect(rendered).toContain("about 45 min for 2 questions");
    expect(rendered).toContain("*Question 1 of 2* · about 15 min");
    expect(rendered).toContain("zero_sum_pairs");
    // Content text is escaped for mrkdwn (the signature's "->" arrow).
    expect(rendered).toContain("-&gt;");
    expect(rendered).toContain("`hint`, `next`, `skip`, `model answer`");
    // What the round probes is the interviewer's note, never the candidate's.
    expect(rendered).not.toContain("Probes");
    expect(rendered).not.toContain(escapeMrkdwn(round.probes));
  });

  it("number later questions in the thread and say where the loop goes after a round", () => {
    const round = bank.round("ir-ranking");
    expect(loopQuestionMessage(round, round.questions[1]!, 1, 2).text).toMatch(/^Question 2 of 2: /);
    const next = bank.round("ml-system-design");
    const daily = loopRoundEndedText(round, { round: next, at: new Date("2025-03-11T16:30:00Z"), tz: "America/Los_Angeles" });
    expect(daily).toContain("09:30");
    expect(daily).toContain("/interview loop next");
    expect(loopRoundEndedText(round, { round: next })).toContain("a new thread below");
    expect(loopRoundEndedText(round, undefined)).toContain("debrief follows");
  });
});

describe("loop status and list", () => {
  it("shows each round done, waiting with its local time, or pending", () => {
    const { text, blocks } = loopStatusBlocks(loop(), bank, "Note <b>");
    expect(text).toBe("Mock onsite in progress: 1/3 rounds done");
    const rendered = all(blocks);
    expect(rendered).toContain(":white_check_mark: 1. Coding and Algorithms");
    expect(rendered).toMatch(/:hourglass_flowing_sand: 2\. Information Retrieval and Ranking — Tue 11 Mar, 09:30 \(America\/Los_Angeles\)/);
    expect(rendered).toContain(":white_circle: 3.");
    expect(rendered).toContain("one round a day");
  });

  it("shows the round in progress with its question number", () => {
    const active = loop({ nextRoundDueAt: undefined, pacing: { kind: "all" } });
    active.rounds[1]!.status = "active";
    active.rounds[1]!.current = 1;
    expect(all(loopStatusBlocks(active, bank).blocks)).toContain(":arrow_forward: 2. *Information Retrieval and Ranking* — question 2 of 2");
  });

  it("lists loops latest first with status and recommendation, and invites a first loop when there is none", () => {
    expect(loopListBlocks([]).text).toContain("/interview loop");
    const summary = (id: string, status: "completed" | "abandoned", recommendation?: "hire" | "incomplete") => ({
      id,
      createdAt: `2025-03-1${id}T10:00:00.000Z`,
      status,
      pacing: "all" as const,
      withHm: id === "2",
      rounds: 5,
      roundsDone: status === "completed" ? 5 : 2,
      recommendation,
    });
    const rendered = all(loopListBlocks([summary("2", "completed", "hire"), summary("1", "abandoned", "incomplete")]).blocks);
    expect(rendered).toContain("1. 2025-03-12 · completed · *Hire* · 5/5 rounds · all rounds in one go · with HM chat");
    expect(rendered).toContain("2. 2025-03-11 · abandoned · *Incomplete* · 2/5 rounds");
    const many = Array.from({ length: 20 }, (_, i) => summary(String(i % 9), "completed", "hire"));
    expect(all(loopListBlocks(many).blocks)).toContain("…and 5 older");
  });
});

describe("the debrief", () => {
  it("leads with the recommendation and its rule, then each round's scores, reasons, evidence and hints", () => {
    const { text, blocks } = loopDebriefBlocks(debrief(), { focusFed: true });
    expect(text).toBe("Mock onsite debrief: No hire");
    const rendered = all(blocks);
    expect(rendered).toContain("*Recommendation: No hire*");
    expect(rendered).toContain("Rule 2 — no hire: a core round");
    expect(rendered).toContain("*Coding and Algorithms* · 3.40/4 · *Hire*");
    expect(rendered).toContain("Correctness ▰▰▰▰ 4.0");
    expect(rendered).toContain("Edge cases and testing ▰▰▰▱ 2.5 _(capped at 3)_");
    expect(rendered).toContain("1 hint on `word-count-mapreduce` → Edge cases and testing capped at 3");
    expect(rendered).toContain("accepted, 12/12 tests");
    expect(rendered).toContain("*Practise next*");
    expect(rendered).toContain("Your daily questions lean toward these");
  });

  it("escapes the candidate's quoted words", () => {
    const rendered = all(loopDebriefBlocks(debrief(), { focusFed: true }).blocks);
    expect(rendered).not.toContain("<!channel>");
    expect(rendered).toContain("@channel hash set &amp; counted zeros");
  });

  it("marks an abandoned loop as ended early, and without a schedule points to /interview ask", () => {
    const { text, blocks } = loopDebriefBlocks(
      debrief({ complete: false, recommendation: { outcome: "incomplete", rule: "No recommendation: the loop was ended", reasons: [] } }),
      { focusFed: false },
    );
    expect(text).toBe("Mock onsite debrief: Incomplete");
    expect(all(blocks)).toContain("ended early");
    expect(all(blocks)).toContain("/interview ask");
  });
});
