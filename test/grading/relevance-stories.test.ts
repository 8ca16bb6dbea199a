/**
 * Relevance must not punish a story for its topic: a favourite-project answer about substitutions is
 * still an answer to the favourite-project question, even though another question of the round is
 * about substitutions. An answer to that other question, given here, still is not.
 */
import { describe, expect, it } from "vitest";
import { QuestionBank } from "../../src/engine/content/bank.js";
import { loadRounds } from "../../src/engine/content/load.js";
import { contentPaths } from "../../src/engine/content/paths.js";
import { gradeOffline } from "../../src/engine/grading/offline.js";

const bank = new QuestionBank(loadRounds(contentPaths().roundsDir));

function grade(questionId: string, answer: string) {
  const { round, question } = bank.get(questionId);
  return gradeOffline({ round, question, answer });
}

const STORY = [
  "Situation: our substitution model at a grocery delivery startup was recommending replacements that customers rejected 30% of the time.",
  "Task: I owned fixing it within one quarter, with a target of cutting rejections by a third.",
  "Action: I pulled three months of rejection logs, found that size and dietary attributes were ignored, added attribute-match features and a calibrated ranker, and argued with the PM to A/B test it against the old rules for two weeks.",
  "Result: rejections fell from 30% to 19%, refunds dropped by $1.2M a year, and the approach became the team's default.",
].join("\n");

describe("relevance of stories", () => {
  it("takes a project story about substitutions as an answer to the favourite-project question", () => {
    const c = grade("bh-favorite-project", STORY);
    expect(c.relevance?.addressesQuestion).toBe(true);
    expect(c.overall).toBeGreaterThanOrEqual(3);
  });

  it("still reports the substitution design question's own reference answer, given to the story question, as off-topic", () => {
    const other = bank.get("bh-substitutions-product").question.referenceAnswer;
    const c = grade("bh-favorite-project", other);
    expect(c.relevance).toMatchObject({ addressesQuestion: false, closerTo: { questionId: "bh-substitutions-product" } });
    expect(Math.max(...c.dimensions.map((d) => d.score))).toBeLessThanOrEqual(2);
  });
});

describe("answers pasted from other questions", () => {
  it("are not taken as answers: other questions' reference answers, three at a time, stay below a coverage of 2.75", () => {
    const rounds = loadRounds(contentPaths().roundsDir);
    const passed: string[] = [];
    let total = 0;
    for (const round of rounds)
      for (const [i, question] of round.questions.entries()) {
        const others = round.questions.filter((q) => q.id !== question.id);
        const answer = [0, 3, 7].map((k) => others[(i + k) % others.length]!.referenceAnswer).join("\n\n");
        total += 1;
        if (gradeOffline({ round, question, answer }).overall >= 2.75) passed.push(question.id);
      }
    // The bank has over a hundred questions; a rare near-duplicate topic may still get through.
    expect(passed.length / total, passed.join(", ")).toBeLessThanOrEqual(0.02);
  });
});
