import { CONTENT_FREE_SENTENCES, isGenericPattern } from "../grading/generic.js";
import { compilePatterns, matchPhrase } from "../grading/phrases.js";
import { splitSentences } from "../grading/text.js";
import type { ContentIssue } from "./load.js";
import type { PhraseExamples, Round } from "./schema.js";

/** One way a pattern set disagrees with its own paraphrase fixtures. */
function examplesIssues(file: string, path: string, patterns: readonly string[], examples: PhraseExamples | undefined): ContentIssue[] {
  if (!examples) return [];
  const regexes = compilePatterns(patterns);
  const issues: ContentIssue[] = [];
  examples.match.forEach((sentence, i) => {
    if (!matchPhrase(regexes, sentence)) issues.push({ file, path: `${path}.examples.match[${i}]`, message: `no pattern matches "${sentence}"` });
  });
  examples.noMatch.forEach((sentence, i) => {
    const hit = matchPhrase(regexes, sentence);
    if (hit) issues.push({ file, path: `${path}.examples.noMatch[${i}]`, message: `pattern ${hit.pattern} matches "${hit.text}" in "${sentence}"` });
  });
  return issues;
}

/**
 * Runs every paraphrase fixture in the round files (`npm run validate` and the tests), so a
 * pattern edit that stops matching a paraphrase, or starts matching a negated or wrong one, fails.
 */
export function checkPhraseExamples(rounds: ReadonlyArray<{ round: Round; file: string }>): ContentIssue[] {
  return rounds.flatMap(({ round, file }) =>
    round.questions.flatMap((q, qi) => [
      ...q.keyPoints.flatMap((k, ki) => examplesIssues(file, `questions[${qi}].keyPoints[${ki}]`, k.match, k.examples)),
      ...q.misconceptions.flatMap((m, mi) => examplesIssues(file, `questions[${qi}].misconceptions[${mi}]`, m.match, m.examples)),
    ]),
  );
}

/** Patterns that match a content-free sentence: the offline check ignores them, so they must be rewritten. */
function genericIssues(file: string, path: string, patterns: readonly string[]): ContentIssue[] {
  return patterns.flatMap((pattern, i) => {
    if (!isGenericPattern(pattern)) return [];
    const regexes = compilePatterns([pattern]);
    const sentence = CONTENT_FREE_SENTENCES.find((s) => matchPhrase(regexes, s) !== undefined);
    return [{ file, path: `${path}.match[${i}]`, message: `pattern ${pattern} matches the content-free sentence "${sentence}"; make it specific` }];
  });
}

/**
 * Every key point, misconception and round signal pattern that matches content-free sentences
 * (generic.ts): such a pattern cannot tell a strong answer from filler, and the offline check drops it.
 */
export function checkGenericPatterns(rounds: ReadonlyArray<{ round: Round; file: string }>): ContentIssue[] {
  return rounds.flatMap(({ round, file }) => [
    ...round.signals.flatMap((sig, si) => genericIssues(file, `signals[${si}]`, sig.match)),
    ...round.questions.flatMap((q, qi) => [
      ...q.keyPoints.flatMap((k, ki) => genericIssues(file, `questions[${qi}].keyPoints[${ki}]`, k.match)),
      ...q.misconceptions.flatMap((m, mi) => genericIssues(file, `questions[${qi}].misconceptions[${mi}]`, m.match)),
    ]),
  ]);
}

/**
 * A question's reference answer states the right claims, so none of its own misconceptions may fire
 * on it: a pattern that does would also correct a candidate who answered as well as the reference.
 */
export function checkReferenceMisconceptions(rounds: ReadonlyArray<{ round: Round; file: string }>): ContentIssue[] {
  return rounds.flatMap(({ round, file }) =>
    round.questions.flatMap((q, qi) => {
      const sentences = splitSentences(q.referenceAnswer);
      return q.misconceptions.flatMap((m, mi) => {
        const regexes = compilePatterns(m.match);
        for (const sentence of sentences) {
          const hit = matchPhrase(regexes, sentence.text);
          if (hit) return [{ file, path: `questions[${qi}].misconceptions[${mi}]`, message: `pattern ${hit.pattern} fires on the reference answer: "${sentence.text}"` }];
        }
        return [];
      });
    }),
  );
}

/** All pattern checks `npm run validate` runs beyond the schema: fixtures, generic patterns, references. */
export function checkPatterns(rounds: ReadonlyArray<{ round: Round; file: string }>): ContentIssue[] {
  return [...checkPhraseExamples(rounds), ...checkGenericPatterns(rounds), ...checkReferenceMisconceptions(rounds)];
}
