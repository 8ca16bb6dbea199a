import { compilePatterns, matchPhrase } from "../grading/phrases.js";
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
