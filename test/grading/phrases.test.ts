import { describe, expect, it } from "vitest";
import { isGenericPattern, specificPatterns } from "../../src/engine/grading/generic.js";
import { compilePatterns, foldText, matchPhrase } from "../../src/engine/grading/phrases.js";

const abTest = compilePatterns(["\\ba/b[- ]?test", "\\bonline experiment"]);

describe("phrase matching", () => {
  it("folds typography from phones and Slack before matching", () => {
    expect(foldText("A/B‐test — 12‑month “LTV”")).toBe('a/b-test - 12-month "ltv"');
    expect(matchPhrase(abTest, "We ran an A/B\u2011test for two weeks.")).toBeDefined();
    expect(matchPhrase(compilePatterns(["12-month"]), "a 12\u2013month horizon")).toBeDefined();
  });

  it("earns nothing inside a negated clause, before or after the match", () => {
    for (const sentence of [
      "We did not run an A/B test.",
      "We didn't run an A/B test before launch.",
      "An A/B test was not run.",
      "We shipped without an A/B test.",
      "We never ran an online experiment.",
    ]) {
      expect(matchPhrase(abTest, sentence), sentence).toBeUndefined();
    }
  });

  it("keeps a match whose clause is not negated", () => {
    expect(matchPhrase(abTest, "We did not trust offline metrics alone, so we ran an A/B test.")).toBeDefined();
    expect(matchPhrase(abTest, "Not only an A/B test but also a holdout.")).toBeDefined();
    expect(matchPhrase(compilePatterns(["\\bno orders? in (?:the last )?\\d+ days"]), "Churn means no order in 60 days.")).toBeDefined();
  });

  it("tries every occurrence, so a later affirmed mention counts", () => {
    const auc = compilePatterns(["\\bauc\\b"]);
    expect(matchPhrase(auc, "We did not report AUC at first; later we reported AUC per segment.")).toBeDefined();
  });

  it("carries a negation over coordinated and comma-separated lists, but not into a new clause", () => {
    const terms = compilePatterns(["\\bcalibration\\b", "\\bpr-auc\\b", "\\bbootstrap", "\\bstratified\\b", "\\bauc\\b"]);
    for (const sentence of [
      "We never report calibration, PR-AUC or bootstrap confidence intervals.",
      "I would not bother with k-fold cross-validation or any stratified folds.",
      "We don't need guardrails, segments, or bootstrap checks.",
      "If we don't report calibration, PR-AUC or bootstrap intervals, nobody trusts the model.",
    ]) {
      expect(matchPhrase(terms, sentence), sentence).toBeUndefined();
    }
    for (const sentence of [
      "We did not expect much from the first version, AUC was 0.8 anyway.",
      "We did not use accuracy, and we used AUC instead.",
      "We did not trust offline metrics alone, so we ran bootstrap checks.",
      "If the labels are not fresh, recompute the model's calibration and the AUC every week.",
    ]) {
      expect(matchPhrase(terms, sentence), sentence).toBeDefined();
    }
  });
});

describe("patterns that match almost anything", () => {
  it("are recognised from content-free sentences and left out of the offline check", () => {
    expect(isGenericPattern("\\bhere\\b")).toBe(true);
    expect(isGenericPattern("\\bcost\\b")).toBe(true);
    expect(isGenericPattern("\\bndcg")).toBe(false);
    expect(specificPatterns(["\\bhere\\b", "\\bndcg"])).toEqual(["\\bndcg"]);
  });
});

describe("negation boundaries", () => {
  it("does not read a hyphenated compound as a negation", () => {
    const inf = compilePatterns(["\\bitem[- ]not[- ]found rate", "\\bdropped from \\d+(?:\\.\\d+)?% to"]);
    expect(matchPhrase(inf, "Item-not-found dropped from 9.1% to 6.8% after the availability model.")).toBeDefined();
    expect(matchPhrase(compilePatterns(["\\bshow rate\\b"]), "The no-show rate is tracked, and the show rate rose.")).toBeDefined();
  });

  it("does not carry a negation across 'so'", () => {
    const pin = compilePatterns(["\\bpin(?:ned)? the model version"]);
    expect(matchPhrase(pin, "We pin the model version so results don't change between runs.")).toBeDefined();
    expect(matchPhrase(pin, "We did not pin the model version.")).toBeUndefined();
  });
});
