/**
 * Patterns that match almost anything earn nothing. A key point or signal pattern that matches one
 * of these content-free sentences (what a candidate with nothing to say writes) cannot tell a strong
 * answer from filler, so the offline check ignores it; `genericPatterns` lists them for content review.
 */
import { compilePatterns, matchPhrase } from "./phrases.js";

export const CONTENT_FREE_SENTENCES: readonly string[] = [
  "I would build a model using the data we have.",
  "Here is how I would approach this problem.",
  "The cost of doing this is important to consider.",
  "We trained the model and deployed it to production.",
  "It is important to understand the users and the business.",
  "I think this is a good question and I would start simple.",
  "We can use machine learning to improve the results over time.",
  "The team worked together and we delivered the project on time.",
  "I would make sure the system works well and is accurate.",
  "Then we look at the results and iterate on the approach.",
  "The customer experience matters a lot for the company.",
  "This team and this role are a great fit for me here.",
  "We used some features and a model, then checked how it performed.",
];

const cache = new Map<string, boolean>();

/** True when `pattern` matches a content-free sentence. */
export function isGenericPattern(pattern: string): boolean {
  let generic = cache.get(pattern);
  if (generic === undefined) {
    const regexes = compilePatterns([pattern]);
    generic = CONTENT_FREE_SENTENCES.some((s) => matchPhrase(regexes, s) !== undefined);
    cache.set(pattern, generic);
  }
  return generic;
}

/** The patterns of a list that carry meaning: generic ones are dropped. */
export function specificPatterns(patterns: readonly string[]): string[] {
  return patterns.filter((p) => !isGenericPattern(p));
}
