/**
 * Pattern matching for the offline check: each content item's patterns compiled once (and patterns
 * that match almost anything left out), then matched with the shared semantics of phrases.ts.
 */
import { specificPatterns } from "./generic.js";
import { compilePatterns, matchPhrase } from "./phrases.js";

const compiledCache = new WeakMap<object, RegExp[]>();

/** An item's patterns, compiled once; patterns that match almost anything (generic.ts) are left out. */
export function compiled(owner: { match: readonly string[] }): RegExp[] {
  let regexes = compiledCache.get(owner);
  if (!regexes) {
    regexes = compilePatterns(specificPatterns(owner.match));
    compiledCache.set(owner, regexes);
  }
  return regexes;
}

export function hits(regexes: readonly RegExp[], text: string): boolean {
  return matchPhrase(regexes, text) !== undefined;
}
