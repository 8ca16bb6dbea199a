/**
 * The content bar of issues 9 and 11 as tests: enough questions per round, every question scored on
 * its own dimensions, every pattern set backed by paraphrase fixtures, misconceptions where
 * interviewers hear wrong answers, and no pattern that matches filler. Runs on the shipped rounds.
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadEvalSet } from "../../bench/eval-set.js";
import { QuestionBank } from "../../src/engine/content/bank.js";
import { ContentError, loadRoundFiles } from "../../src/engine/content/load.js";
import { contentPaths } from "../../src/engine/content/paths.js";
import { checkGenericPatterns, checkPatterns, checkReferenceMisconceptions } from "../../src/engine/content/phrase-fixtures.js";
import { gradeOffline } from "../../src/engine/grading/offline.js";

const { roundsDir } = contentPaths();
const files = loadRoundFiles(roundsDir);
const rounds = files.map((f) => f.round);
const questions = rounds.flatMap((round) => round.questions.map((question) => ({ round, question })));

const MIN_PROSE_QUESTIONS = 16;
const MIN_CODING_PROBLEMS = 21;
const MIN_QUESTIONS_WITH_MISCONCEPTIONS = 40;
const MIN_EXAMPLES = 2;

describe("content bar", () => {
  it(`has at least ${MIN_PROSE_QUESTIONS} questions in every non-coding round and ${MIN_CODING_PROBLEMS} coding problems`, () => {
    for (const round of rounds) {
      const min = round.id === "coding" ? MIN_CODING_PROBLEMS : MIN_PROSE_QUESTIONS;
      expect(round.questions.length, round.id).toBeGreaterThanOrEqual(min);
    }
    const coding = rounds.find((r) => r.id === "coding")!;
    expect(coding.questions.filter((q) => q.coding).length).toBeGreaterThanOrEqual(MIN_CODING_PROBLEMS);
  });

  it("lists every question's dimensions; each is in the rubric and checked by at least one key point", () => {
    for (const { round, question } of questions) {
      const rubric = new Set(round.rubric.map((d) => d.id));
      expect(question.dimensions.length, question.id).toBeGreaterThan(0);
      for (const d of question.dimensions) {
        expect(rubric.has(d), `${question.id}: ${d}`).toBe(true);
        expect(question.keyPoints.some((k) => k.dimension === d), `${question.id}: no key point for ${d}`).toBe(true);
      }
      for (const item of [...question.keyPoints, ...question.misconceptions])
        expect(question.dimensions, `${question.id}: ${item.dimension}`).toContain(item.dimension);
    }
  });

  it(`backs every key point and misconception with at least ${MIN_EXAMPLES} match and ${MIN_EXAMPLES} noMatch paraphrases`, () => {
    for (const { question } of questions)
      for (const [label, item] of [
        ...question.keyPoints.map((k) => [`key point "${k.text}"`, k] as const),
        ...question.misconceptions.map((m) => [`misconception "${m.claim}"`, m] as const),
      ]) {
        expect(item.examples.match.length, `${question.id} ${label}`).toBeGreaterThanOrEqual(MIN_EXAMPLES);
        expect(item.examples.noMatch.length, `${question.id} ${label}`).toBeGreaterThanOrEqual(MIN_EXAMPLES);
      }
  });

  it("passes every paraphrase fixture, has no generic pattern and no misconception firing on its own reference", () => {
    expect(checkPatterns(files)).toEqual([]);
  });

  it("never corrects a question's own reference answer (through the offline check itself)", () => {
    for (const { round, question } of questions) {
      if (question.misconceptions.length === 0) continue;
      const critique = gradeOffline({ round, question, answer: question.referenceAnswer });
      expect(critique.corrections, question.id).toEqual([]);
    }
  });

  it("never corrects the labelled strong answers of the eval set (test/fixtures/eval)", () => {
    const bank = new QuestionBank(rounds);
    const items = loadEvalSet(bank);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      const { round, question } = bank.get(item.questionId);
      const code = item.code.strong;
      const critique = gradeOffline({ round, question, answer: item.answers.strong, ...(code ? { code } : {}) });
      expect(critique.corrections.map((c) => c.claim), item.questionId).toEqual([]);
    }
  });

  it("gives every seed question at least one misconception", () => {
    const seeds = questions.filter(({ question }) => question.tags.includes("seed"));
    expect(seeds.length).toBeGreaterThan(0);
    for (const { question } of seeds) expect(question.misconceptions.length, question.id).toBeGreaterThanOrEqual(1);
  });

  it(`has misconceptions on at least ${MIN_QUESTIONS_WITH_MISCONCEPTIONS} questions`, () => {
    expect(questions.filter(({ question }) => question.misconceptions.length > 0).length).toBeGreaterThanOrEqual(MIN_QUESTIONS_WITH_MISCONCEPTIONS);
  });
});

describe("content checks report what breaks the bar, with file and path", () => {
  function copyRounds(edit: (file: string, text: string) => string): string {
    const dir = mkdtempSync(join(tmpdir(), "rounds-bar-"));
    for (const f of readdirSync(roundsDir).filter((f) => f.endsWith(".yaml") || f.endsWith(".json"))) {
      copyFileSync(join(roundsDir, f), join(dir, f));
      if (f.endsWith(".yaml")) writeFileSync(join(dir, f), edit(f, readFileSync(join(dir, f), "utf8")));
    }
    return dir;
  }

  it("reports a pattern that matches a content-free sentence", () => {
    const dir = copyRounds((f, text) => (f === "behavioral.yaml" ? text.replace(/\n(\s+)match:\n(\s+)- /, "\n$1match:\n$2- '\\bthe team\\b'\n$2- ") : text));
    const issues = checkGenericPatterns(loadRoundFiles(dir, { cacheDir: false }));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]!.file).toMatch(/behavioral\.yaml$/);
    expect(issues[0]!.path).toMatch(/^(?:signals|questions)\[\d+\](?:\.keyPoints\[\d+\])?\.match\[0\]$/);
    expect(issues[0]!.message).toMatch(/content-free sentence "The team worked together/);
  });

  it("reports a misconception whose pattern fires on its own reference answer", () => {
    const mlsd = files.find((f) => f.round.id === "ml-modeling")!;
    const qi = mlsd.round.questions.findIndex((q) => q.misconceptions.length > 0);
    const q = mlsd.round.questions[qi]!;
    // A misconception pattern copied from the question's own key point fires on the reference.
    const firing = { ...q, misconceptions: [{ ...q.misconceptions[0]!, match: ["\\w+"] }] };
    const issues = checkReferenceMisconceptions([{ file: mlsd.file, round: { ...mlsd.round, questions: mlsd.round.questions.map((x, i) => (i === qi ? firing : x)) } }]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: mlsd.file, path: `questions[${qi}].misconceptions[0]` });
  });

  it("rejects a key point without examples and a question without dimensions", () => {
    const dir = copyRounds((f, text) =>
      f === "ir-ranking.yaml" ? text.replace(/\n {4}dimensions: \[[^\]]*\]/, "").replace(/\n {8}examples:\n {10}match:(?:\n {12}- .*)+\n {10}noMatch:(?:\n {12}- .*)+/, "") : text,
    );
    let error: unknown;
    try {
      loadRoundFiles(dir, { cacheDir: false });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ContentError);
    const issues = (error as ContentError).issues.filter((i) => i.file.endsWith("ir-ranking.yaml"));
    expect(issues.some((i) => /^questions\[\d+\]\.dimensions$/.test(i.path))).toBe(true);
    expect(issues.some((i) => /^questions\[\d+\]\.(?:keyPoints|misconceptions)\[\d+\]\.examples$/.test(i.path))).toBe(true);
  });
});
