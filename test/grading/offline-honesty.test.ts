/**
 * The offline check against each way issue 9 found it fooled or unfair: typography, text shape
 * (lowercase, hard-wrapped, bulleted, mobile), negation, wrong claims, answers to another question,
 * keyword lists and templates, code verdicts, STAR labels, follow-ups and per-question dimensions.
 */
import { describe, expect, it } from "vitest";
import { loadEvalSet, type EvalItem } from "../../bench/eval-set.js";
import { QuestionBank } from "../../src/engine/content/bank.js";
import { loadRounds } from "../../src/engine/content/load.js";
import { contentPaths } from "../../src/engine/content/paths.js";
import type { Question } from "../../src/engine/content/schema.js";
import { quoteIsInAnswer } from "../../src/engine/grading/evidence.js";
import { gradeOffline } from "../../src/engine/grading/offline.js";
import type { CodeRunSummary, Critique, GradeRequest } from "../../src/engine/grading/types.js";

const bank = new QuestionBank(loadRounds(contentPaths().roundsDir));
const items = loadEvalSet(bank);
const item = (id: string): EvalItem => items.find((i) => i.questionId === id)!;

function grade(questionId: string, answer: string, extra: Partial<GradeRequest> = {}, question?: Question): Critique {
  const ref = bank.get(questionId);
  return gradeOffline({ round: ref.round, question: question ?? ref.question, answer, ...extra });
}

const keyPointsIn = (c: Critique, q: Question) => q.keyPoints.filter((k) => c.strengths.includes(k.text)).map((k) => k.text);
const prose = items.filter((i) => i.roundId !== "coding");

function sentencesOf(text: string): string[] {
  return text
    .replace(/\n+/g, " ")
    .split(/(?<=[.!?])\s+(?=[A-Z0-9"])/)
    .map((s) => s.trim())
    .filter(Boolean);
}

describe("fair to real prose", () => {
  const shapes: Record<string, (text: string) => string> = {
    "typographic quotes and dashes": (t) =>
      t.replace(/'/g, "\u2019").replace(/"([^"]*)"/g, "\u201C$1\u201D").replace(/(\w)-(\w)/g, "$1\u2011$2").replace(/ - /g, " \u2014 "),
    "all lower case": (t) => t.toLowerCase(),
    "hard-wrapped at 60 columns": (t) =>
      t
        .split("\n")
        .map((line) => line.replace(/(.{1,60})(\s+|$)/g, "$1\n").trimEnd())
        .join("\n"),
    "a bulleted list of sentences": (t) => sentencesOf(t).map((s) => `- ${s}`).join("\n"),
  };
  for (const [shape, transform] of Object.entries(shapes)) {
    it(`covers the same key points when the strong answers are written as ${shape}`, () => {
      for (const i of prose) {
        const question = bank.get(i.questionId).question;
        const plain = grade(i.questionId, i.answers.strong);
        const shaped = grade(i.questionId, transform(i.answers.strong));
        expect(keyPointsIn(shaped, question), `${i.questionId}: ${shape}`).toEqual(keyPointsIn(plain, question));
        expect(shaped.overall, `${i.questionId}: ${shape}`).toBeGreaterThanOrEqual(plain.overall - 0.25);
      }
    });
  }

  it("keeps a mobile-typed answer (lower case, no final stops, one thought per line) at coverage 3 or more", () => {
    let atLeast3 = 0;
    for (const i of prose) {
      const mobile = sentencesOf(i.answers.strong)
        .map((s) => s.toLowerCase().replace(/[.!]$/, ""))
        .join("\n");
      if (grade(i.questionId, mobile).overall >= 3) atLeast3 += 1;
    }
    expect(atLeast3 / prose.length).toBeGreaterThanOrEqual(0.8);
  });

  it("does not score every reference answer at the maximum (patterns are not special-cased to them)", () => {
    const overall = loadRounds(contentPaths().roundsDir).flatMap((round) => round.questions.map((question) => gradeOffline({ round, question, answer: question.referenceAnswer }).overall));
    expect(overall.filter((o) => o === 4).length).toBeLessThan(overall.length * 0.75);
  });
});

describe("hard to fool", () => {
  it("gives a negated key point nothing: negated answers earn no key point", () => {
    // A negator written into a pattern is part of what it means ("I didn't check …" as ownership), so
    // key points with such patterns are left out here.
    const negatorInPattern = /didn|did not|\bnot\b|\bno\b|never|without/;
    for (const i of items) {
      const question = bank.get(i.questionId).question;
      const c = grade(i.questionId, i.answers.negated, i.code.negated ? { code: i.code.negated } : {});
      const plain = question.keyPoints.filter((k) => !k.match.some((p) => negatorInPattern.test(p)));
      // Negation reaches NEGATION_WINDOW_WORDS (6) words, or a coordinated list: a longer negated
      // object ("never compared the simple and complex options offline") may still leak one point.
      expect(plain.filter((k) => c.strengths.includes(k.text)).length, i.questionId).toBeLessThanOrEqual(1);
    }
    const question = bank.get("bh-measure-new-feature").question;
    const ran = grade("bh-measure-new-feature", "To measure it we ran an A/B test at the customer level for three weekly shopping cycles.");
    const didNot = grade("bh-measure-new-feature", "To measure it we did not run an A/B test at the customer level for three weekly shopping cycles.");
    expect(keyPointsIn(ran, question).length).toBeGreaterThan(keyPointsIn(didNot, question).length);
  });

  it("lets lists, keyword dumps and templated sentences earn at most one key point per dimension", () => {
    for (const i of items)
      for (const variant of ["stuffed", "templated"] as const) {
        const question = bank.get(i.questionId).question;
        const c = grade(i.questionId, i.answers[variant]);
        const perDimension = new Map<string, number>();
        for (const k of question.keyPoints) if (c.strengths.includes(k.text)) perDimension.set(k.dimension, (perDimension.get(k.dimension) ?? 0) + 1);
        for (const [dim, n] of perDimension) expect(n, `${i.questionId} ${variant} ${dim}`).toBeLessThanOrEqual(1);
        expect(c.overall, `${i.questionId} ${variant}`).toBeLessThanOrEqual(2);
      }
  });

  it("treats a keyword dump written as sentences like a list, well below the expert's answer", () => {
    const dump = [
      "For the ETA I would use legs for picking, checkout, the drive and the handoff, with quantile regression and a pinball loss.",
      "We would measure MAE and the late rate, with traffic and weather features from a feature store for real-time updates.",
      "Then we check calibration of the intervals on a backtest and run switchback experiments because of interference.",
      "Finally we balance conservative ETAs against checkout conversion, supply and demand, and store busyness.",
    ].join("\n");
    const stuffed = grade("mlsd-delivery-eta", dump);
    const strong = grade("mlsd-delivery-eta", item("mlsd-delivery-eta").answers.strong);
    expect(strong.overall - stuffed.overall).toBeGreaterThanOrEqual(0.75);
    expect(stuffed.overall).toBeLessThan(3);
  });

  it("gives the issue's ungrateful answer nothing", () => {
    const c = grade(
      "hm-why-instacart",
      "I am not grateful for this opportunity, and I do not care about grocery. I don't want to help shoppers or retailers, and I have no interest in the marketplace or in substitutions.",
    );
    expect(c.overall).toBe(1);
    expect(c.strengths).toEqual([]);
  });

  it("reports an answer to another question of the round as not addressing the question, capped at 2", () => {
    const auc = item("mm-evaluation-auc");
    const c = grade("mm-evaluation-auc", auc.answers.offTopic);
    expect(c.relevance).toEqual({ addressesQuestion: false, closerTo: { questionId: "mm-class-imbalance", prompt: bank.get("mm-class-imbalance").question.prompt } });
    for (const d of c.dimensions) expect(d.score).toBeLessThanOrEqual(2);
    expect(grade("mm-class-imbalance", auc.answers.offTopic).relevance?.addressesQuestion).toBe(true);
  });

  it("caps a dimension with a wrong claim at 2, shows the correction and never quotes the wrong sentence as evidence", () => {
    const base = bank.get("mm-evaluation-auc").question;
    const question: Question = {
      ...base,
      misconceptions: [
        {
          claim: "AUC is the model's accuracy at a 0.5 threshold",
          correction: "AUC is threshold-free: the probability that a random positive is ranked above a random negative.",
          dimension: "evaluation-rigor",
          match: ["\\bauc (?:is|=|means) (?:just |simply |basically )?(?:the )?(?:model'?s )?accura\\w*[^.]{0,40}\\b0?\\.5\\b"],
          examples: {
            match: ["AUC is the model's accuracy at 0.5.", "AUC means accuracy when we threshold at .5."],
            noMatch: ["AUC is not accuracy at 0.5.", "AUC is a ranking measure."],
          },
        },
      ],
    };
    const wrongSentence = "AUC is simply the accuracy of the model at a 0.5 threshold, so 0.8 means 80% of predictions are right.";
    const strong = item("mm-evaluation-auc").answers.strong;
    const clean = grade("mm-evaluation-auc", strong, {}, question);
    const c = grade("mm-evaluation-auc", `${strong}\n${wrongSentence}`, {}, question);
    expect(clean.corrections).toEqual([]);
    expect(clean.dimensions.find((d) => d.id === "evaluation-rigor")!.score).toBeGreaterThan(2);
    const { claim, correction, dimension } = question.misconceptions[0]!;
    expect(c.corrections).toEqual([{ claim, correction, dimension, quote: wrongSentence }]);
    expect(c.dimensions.find((d) => d.id === "evaluation-rigor")).toMatchObject({ score: 2, cappedAt: 2 });
    for (const q of c.dimensions.flatMap((d) => d.evidence)) expect(q).not.toContain("accuracy of the model");
    // The correct statement, or the claim denied, is not a wrong claim.
    expect(grade("mm-evaluation-auc", `${strong}\nAUC is not the accuracy at a 0.5 threshold; it is threshold-free.`, {}, question).corrections).toEqual([]);
  });
});

describe("coding answers follow the judge's verdict", () => {
  const bfs = item("aisle-shortest-path");
  const accepted: CodeRunSummary = { language: "python", verdict: "accepted", passed: 15, total: 15 };
  const score = (c: Critique, id: string) => c.dimensions.find((d) => d.id === id)!.score;
  const codeOnly = "```python\n" + bfs.answers.strong.split("```python\n")[1]!;

  it("scores correctness and complexity at least 3 for accepted code, and reads big-O from the code's comments", () => {
    const c = grade("aisle-shortest-path", codeOnly, { code: accepted });
    expect(score(c, "correctness")).toBeGreaterThanOrEqual(3);
    expect(score(c, "complexity")).toBeGreaterThanOrEqual(3);
    expect(c.gaps.join(" ")).not.toMatch(/state the time and space complexity/i);
    expect(c.dimensions.find((d) => d.id === "complexity")!.justification).toMatch(/O\(R\*C\)/i);
    const question = bank.get("aisle-shortest-path").question;
    for (const k of question.keyPoints.filter((k) => k.dimension === "correctness" || k.dimension === "complexity")) expect(c.gaps).not.toContain(k.text);
    expect(c.strengths[0]).toMatch(/passed all 15 tests/i);
  });

  it("asks for the complexity when neither the text nor the comments state it", () => {
    const bare = codeOnly.replace(/#.*$/gm, "");
    const c = grade("aisle-shortest-path", bare, { code: accepted });
    expect(c.gaps.join(" ")).toMatch(/state the time and space complexity/i);
    expect(score(c, "complexity")).toBeGreaterThanOrEqual(3);
  });

  it("caps correctness at 2 when hidden tests fail, whatever the explanation, and claims no correctness strength", () => {
    const c = grade("aisle-shortest-path", bfs.answers.strong, { code: { language: "python", verdict: "wrong_answer", passed: 13, total: 15 } });
    expect(score(c, "correctness")).toBeLessThanOrEqual(2);
    const question = bank.get("aisle-shortest-path").question;
    for (const k of question.keyPoints.filter((k) => k.dimension === "correctness")) expect(c.strengths).not.toContain(k.text);
    expect(c.gaps.join(" ")).toMatch(/failed 2 of 15 tests/);
  });

  it("caps complexity at 2 when the performance tests time out, even when the text claims linear time", () => {
    const c = grade("aisle-shortest-path", bfs.answers.wrong, { code: bfs.code.wrong! });
    expect(score(c, "complexity")).toBeLessThanOrEqual(2);
    expect(c.gaps.join(" ")).toMatch(/performance tests rejected/);
    expect(c.strengths.join(" ")).not.toMatch(/O\(R/);
  });

  it("never quotes code as evidence (comments are the candidate's words and may be quoted)", () => {
    for (const i of items.filter((x) => x.roundId === "coding"))
      for (const variant of ["strong", "wrong", "stuffed"] as const) {
        const answer = i.answers[variant];
        const code = [...answer.matchAll(/```[^\n]*\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/#.*$/gm, ""));
        const c = grade(i.questionId, answer, { code: i.code[variant]! });
        // Evidence and the sentences quoted with corrections: a wrong answer's quotes may all be corrections.
        const quotes = [...c.dimensions.flatMap((d) => d.evidence), ...c.corrections.flatMap((x) => (x.quote ? [x.quote] : []))];
        expect(quotes.length, `${i.questionId} ${variant}`).toBeGreaterThan(0);
        for (const q of quotes) {
          expect(quoteIsInAnswer(q, answer)).toBe(true);
          for (const block of code) expect(quoteIsInAnswer(q, block), `${i.questionId} ${variant}: ${q}`).toBe(false);
        }
      }
  });
});

describe("structure, follow-ups and dimensions", () => {
  it("recognises STAR written with Situation / Task / Action / Result labels", () => {
    const labelled = [
      "Situation: our grocery search returned out-of-stock items for about 8% of queries at peak hours.",
      "Task: I owned cutting that rate without hiding items that were actually on the shelf.",
      "Action: I built an availability model on shopper scan outcomes and filtered results below a 0.2 in-stock probability.",
      "Result: out-of-stock results fell to 3% and refunds dropped by $1.2M a year.",
    ].join("\n");
    const c = grade("bh-favorite-project", labelled);
    const star = c.dimensions.find((d) => d.id === "star-structure")!;
    expect(star.justification).toMatch(/shown: [^.]*star-arc/);
    expect(c.gaps.join(" ")).not.toMatch(/situation, task, action and result/i);
  });

  it("answers a follow-up as a follow-up: what the reply added, what is still missing and what moved", () => {
    const ref = bank.get("mm-evaluation-auc");
    const first = "I would use 5-fold cross-validation stratified by the churn label and report the mean AUC across folds.";
    const probe = ref.question.followUps[1]!;
    const reply =
      "Because random folds leak the future for churn: I'd switch to a rolling time-based validation, train up to one month and validate on the next, and keep a final out-of-time month untouched.";
    const c = grade("mm-evaluation-auc", reply, { followUp: probe, previous: [{ prompt: ref.question.prompt, answer: first }] });
    expect(c.followUpFeedback?.probe).toBe(probe);
    expect(c.followUpFeedback?.added).toContain(ref.question.keyPoints.find((k) => k.dimension === "features-data")!.text);
    expect(c.followUpFeedback?.moved.some((m) => m.id === "features-data" && m.to > m.from)).toBe(true);
    expect(c.followUpFeedback?.stillMissing.length).toBeGreaterThan(0);
    expect(c.followUpFeedback?.stillMissing).not.toContain(ref.question.keyPoints.find((k) => k.dimension === "features-data")!.text);
    expect(c.followUp).not.toBe(probe);
  });

  it("scores and shows only the dimensions a question lists", () => {
    const ref = bank.get("ir-ndcg-mrr");
    const question: Question = { ...ref.question, dimensions: ["evaluation", "retrieval-ranking", "production-tradeoffs"] };
    const c = grade("ir-ndcg-mrr", item("ir-ndcg-mrr").answers.strong, {}, question);
    expect(c.dimensions.map((d) => d.id)).toEqual(["retrieval-ranking", "evaluation", "production-tradeoffs"]);
    expect(c.signal).toBeNull();
  });
});
