/**
 * The offline check on the labelled eval set (test/fixtures/eval/, the same set `npm run eval`
 * prints): a regression that lets keyword dumps, templates, negations, wrong or off-topic answers
 * catch up with an expert's answer fails here.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { formatSummary, gradeEvalSet, loadEvalSet, missedTargets, OFFLINE_TARGETS, RIVALS, summarise, type EvalSummary } from "../../bench/eval-set.js";
import { QuestionBank } from "../../src/engine/content/bank.js";
import { loadRounds } from "../../src/engine/content/load.js";
import { contentPaths } from "../../src/engine/content/paths.js";
import { createGrader } from "../../src/engine/grading/grader.js";
import { OfflineGrader } from "../../src/engine/grading/offline.js";
import { startFakeOpenAI } from "../support/fake-openai.js";

const bank = new QuestionBank(loadRounds(contentPaths().roundsDir));
const items = loadEvalSet(bank);

describe("eval set", () => {
  it("covers at least 12 questions over all six rounds", () => {
    expect(items.length).toBeGreaterThanOrEqual(12);
    expect(new Set(items.map((i) => i.roundId)).size).toBe(6);
    for (const item of items) for (const rival of RIVALS) expect(item.answers[rival], `${item.questionId} ${rival}`).not.toBe(item.answers.strong);
  });
});

describe("offline check on the eval set", () => {
  let summary: EvalSummary;
  beforeAll(async () => {
    summary = summarise(await gradeEvalSet(bank, new OfflineGrader(), items));
  });

  it("meets every target: ≥ 90% vs weak, stuffed, off-topic, templated, negated; ≥ 75% vs wrong; strong ≥ 3 in ≥ 80%", () => {
    expect(missedTargets(summary), formatSummary("offline", summary, OFFLINE_TARGETS)).toEqual([]);
  });

  it("is deterministic: grading the set twice gives identical critiques", async () => {
    const again = await gradeEvalSet(bank, new OfflineGrader(), items);
    expect(JSON.stringify(again)).toBe(JSON.stringify(summary.graded));
  });

  it("never gives a hire signal, and reports every off-topic answer as not addressing the question", () => {
    for (const { item, critiques } of summary.graded) {
      for (const c of Object.values(critiques)) expect(c.signal).toBeNull();
      expect(critiques.offTopic.relevance?.addressesQuestion, item.questionId).toBe(false);
      expect(critiques.strong.relevance?.addressesQuestion, item.questionId).toBe(true);
      for (const d of critiques.offTopic.dimensions) expect(d.score, `${item.questionId} ${d.id}`).toBeLessThanOrEqual(2);
    }
  });
});

describe("the eval harness with an LLM configured", () => {
  it("grades every answer through the grader factory's LLM critic and counts every pair", async () => {
    const openai = await startFakeOpenAI();
    try {
      const grader = createGrader({
        promptsDir: contentPaths().promptsDir,
        llm: { apiKey: "sk-test-eval", baseURL: openai.url, model: "fake-critic", timeoutMs: 10_000, maxRetries: 0 },
        logger: { warn: () => {} },
      });
      const few = items.slice(0, 2);
      const summary = summarise(await gradeEvalSet(bank, grader, few));
      expect(openai.requests.length).toBe(few.length * 7);
      for (const { critiques } of summary.graded) for (const c of Object.values(critiques)) expect(c.grader).toBe("llm");
      for (const rival of RIVALS) expect(summary.ordered[rival].total).toBe(few.length);
      expect(formatSummary("LLM critic", summary)).toContain("strong answer ranked above");
    } finally {
      await openai.close();
    }
  });
});
