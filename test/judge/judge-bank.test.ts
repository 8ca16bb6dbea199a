/**
 * Every coding question in the content bank: both reference solutions are accepted by the real
 * sandboxed judge, within the question's own limits (so the limits hold under CI load too).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { QuestionBank } from "../../src/engine/content/bank.js";
import { loadRounds } from "../../src/engine/content/load.js";
import { contentPaths } from "../../src/engine/content/paths.js";
import { createJudge, type Judge } from "../../src/engine/judge/index.js";

const bank = new QuestionBank(loadRounds(contentPaths().roundsDir));
const coding = bank.findRound("coding")?.questions.filter((q) => q.coding) ?? [];
const cases = coding.flatMap((q) => (["python", "javascript"] as const).map((language) => [q.id, language] as const));

let judge: Judge;

beforeAll(async () => {
  judge = await createJudge({ bank });
  expect(judge.mode, judge.reason).toBe("sandbox");
  // Every generator, oracle and checker name resolves; the runs below then start without waiting.
  await judge.warmUp();
}, 120_000);

describe("the content bank's coding questions", () => {
  it("include the two seed problems", () => {
    expect(coding.map((q) => q.id)).toEqual(expect.arrayContaining(["two-sum-zero", "word-count-mapreduce"]));
  });

  it.concurrent.each(cases)("%s: the %s reference solution is accepted", async (questionId, language) => {
    const question = bank.get(questionId).question;
    const result = await judge.judge(questionId, language, question.coding!.reference[language]);
    const detail = `${result.verdict} ${result.passed}/${result.total} ${result.message ?? JSON.stringify(result.failure)}`;
    expect(result.verdict, detail).toBe("accepted");
    expect(result.passed).toBe(result.total);
  });
});
