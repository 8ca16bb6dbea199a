/**
 * The seed AUC question asks for an explanation to non-technical business leaders: an answer in plain
 * English, without a single term of art, must be recognised — and a confidently wrong one must not.
 */
import { describe, expect, it } from "vitest";
import { QuestionBank } from "../../src/engine/content/bank.js";
import { loadRounds } from "../../src/engine/content/load.js";
import { contentPaths } from "../../src/engine/content/paths.js";
import { gradeOffline } from "../../src/engine/grading/offline.js";

const bank = new QuestionBank(loadRounds(contentPaths().roundsDir));

function grade(answer: string) {
  const { round, question } = bank.get("mm-evaluation-auc");
  return gradeOffline({ round, question, answer });
}

const PLAIN = [
  "Imagine we pick one customer who left and one who stayed. The model gives the one who left a higher risk score about eight times out of ten; guessing would get it right half the time. That is what an AUC of 0.8 means.",
  "It does not tell you how many of the people we flag will actually leave, so before we spend on retention offers we look at the riskiest customers: among the top tenth of customers by risk, about three in four would churn, and a $6 offer that saves one in ten of them pays off there but not further down the list.",
  "We checked this on later months the model never saw, not on shuffled data, and we will confirm it with a holdout group that gets no offer.",
].join("\n\n");

const WRONG =
  "AUC is the accuracy of the model at threshold 0.5. We validated with random k-fold cross-validation on all customers, which is fine because time ordering does not matter for churn. An AUC of 0.8 means the model is right 80% of the time, so leaders can trust 80% of its predictions.";

describe("plain language on the seed AUC question", () => {
  it("recognises a jargon-free explanation for business leaders", () => {
    const plain = grade(PLAIN);
    expect(plain.overall).toBeGreaterThanOrEqual(3);
    expect(plain.corrections).toEqual([]);
  });

  it("ranks a confidently wrong answer well below it, with the corrections shown", () => {
    const wrong = grade(WRONG);
    expect(wrong.overall).toBeLessThanOrEqual(2);
    expect(wrong.corrections.length).toBeGreaterThanOrEqual(2);
    expect(grade(PLAIN).overall - wrong.overall).toBeGreaterThanOrEqual(1);
  });
});
