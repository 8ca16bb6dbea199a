/**
 * Trusted checkers for problems whose answers are not unique in form. A checker sees the test's args, the
 * candidate's raw return value (parsed JSON, so plain data) and the expected value (hand-written or from
 * the oracle); it recomputes the truth from the args itself, so a wrong `expected` cannot make it lenient.
 * Messages describe the first problem found without quoting the expected answer wholesale.
 */
import { bm25Rank, bm25Scores } from "./ml-oracles.js";
import { zeroSumPairs } from "./oracles.js";

export interface CheckResult {
  ok: boolean;
  message?: string;
}

export type Checker = (args: unknown[], got: unknown, expected: unknown) => CheckResult;

const show = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/**
 * two-sum-zero: a list of [a, b] with a + b == 0, each value present at two different positions, every
 * unordered pair once (a duplicated pair is wrong even when the set of pairs is right), none missing.
 */
const zeroSumPairsChecker: Checker = (args, got) => {
  const nums = args[0] as number[];
  if (!Array.isArray(got)) return { ok: false, message: `expected a list of pairs, got ${show(got)}` };
  const counts = new Map<number, number>();
  for (const v of nums) counts.set(v, (counts.get(v) ?? 0) + 1);
  const seen = new Set<number>();
  for (const pair of got as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => typeof v === "number" && Number.isInteger(v))) {
      return { ok: false, message: `each pair must be a list of two integers, got ${show(pair)}` };
    }
    const [a, b] = pair as [number, number];
    if (a + b !== 0) return { ok: false, message: `pair ${show(pair)} does not sum to 0` };
    const low = Math.min(a, b);
    const available = counts.get(low) ?? 0;
    if (available === 0 || !counts.has(-low) || (low === 0 && available < 2)) {
      return {
        ok: false,
        message: low === 0 ? "[0, 0] needs two zeros in the input" : `pair ${show(pair)} uses a value not in the input`,
      };
    }
    // Normalise -0 (JavaScript) to 0 so [0, -0] and [0, 0] count as the same pair.
    const key = low === 0 ? 0 : low;
    if (seen.has(key)) return { ok: false, message: `pair ${show(pair)} appears more than once` };
    seen.add(key);
  }
  const truth = zeroSumPairs(nums);
  const missing = truth.filter(([low]) => !seen.has(low));
  if (missing.length > 0) {
    return { ok: false, message: `${missing.length} pair(s) missing, e.g. ${show(missing[0])}` };
  }
  return { ok: true };
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const WORD = /^[a-z0-9]+$/;

/**
 * word-count-mapreduce: a reducer called directly must return the word it was called with and the sum
 * of the counts; a whole run must produce exactly the expected word -> total map. The messages name the
 * first difference in the candidate's terms (a reducer that renames its key, a token the rules forbid).
 */
const wordCountChecker: Checker = (args, got, expected) => {
  const input = args[0];
  if (isPlainObject(input) && isPlainObject(input["reducer"])) {
    const call = input["reducer"] as { word: string; counts: number[] };
    if (!Array.isArray(got) || got.length !== 2) return { ok: false, message: `the reducer must return (word, total), got ${show(got)}` };
    const [word, total] = got as [unknown, unknown];
    if (word !== call.word) {
      return { ok: false, message: `the reducer was called with the word ${show(call.word)} but returned the word ${show(word)}: it must return the key it was called with` };
    }
    const sum = call.counts.reduce((a, b) => a + b, 0);
    if (total !== sum) {
      const counted = total === call.counts.length ? " (it counted the values instead of adding them)" : "";
      return { ok: false, message: `reducer(${show(call.word)}, ${show(call.counts)}) returned the total ${show(total)}, expected ${sum}${counted}` };
    }
    return { ok: true };
  }
  if (!isPlainObject(got)) return { ok: false, message: `expected a map of word -> count, got ${show(got)}` };
  const want = expected as Record<string, number>;
  const sortedCounts = (m: Record<string, unknown>) => JSON.stringify(Object.values(m).map(Number).sort((a, b) => a - b));
  const renamed = Object.keys(got).some((word) => !Object.hasOwn(want, word));
  if (renamed && sortedCounts(got) === sortedCounts(want)) {
    // Every total is right but some keys are not: the mapper grouped correctly and the reducer renamed them.
    const word = Object.keys(got).find((w) => !Object.hasOwn(want, w));
    return { ok: false, message: `the totals are right but the word ${show(word)} is not in the text: the reducer must return the word it was called with` };
  }
  for (const [word, count] of Object.entries(got)) {
    if (!Object.hasOwn(want, word)) {
      return {
        ok: false,
        message: WORD.test(word)
          ? `${show(word)} is not a word of this text (was a key changed by the reducer, or split differently?)`
          : `${show(word)} is not a word: words are runs of a-z and 0-9 after lowercasing`,
      };
    }
    if (count !== want[word]) return { ok: false, message: `${show(word)}: got ${show(count)}, expected ${want[word]}` };
  }
  const missing = Object.keys(want).filter((word) => !Object.hasOwn(got, word));
  if (missing.length > 0) return { ok: false, message: `${missing.length} word(s) missing, e.g. ${show(missing[0])}` };
  return { ok: true };
};

/** Scores agree when they differ by float noise only: summing terms in another order is fine. */
const sameScore = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * bm25-rank: [[doc index, score], ...]. Each score must be within 1e-6 of the document's true score, the
 * documents must be the top min(k, matching) by true score, ties (equal up to float noise) by lower index.
 */
const bm25Checker: Checker = (args, got) => {
  const [query, docs, k] = args as [string, string[], number];
  const truth = bm25Scores(query, docs);
  const want = bm25Rank(args);
  if (!Array.isArray(got)) return { ok: false, message: `expected a list of [doc index, score], got ${show(got)}` };
  const seen = new Set<number>();
  for (const [pos, entry] of (got as unknown[]).entries()) {
    if (!Array.isArray(entry) || entry.length !== 2 || !Number.isInteger(entry[0]) || typeof entry[1] !== "number") {
      return { ok: false, message: `position ${pos}: expected [doc index, score], got ${show(entry)}` };
    }
    const [index, score] = entry as [number, number];
    if (index < 0 || index >= docs.length) return { ok: false, message: `position ${pos}: there is no document ${index}` };
    if (seen.has(index)) return { ok: false, message: `document ${index} appears more than once` };
    seen.add(index);
    const real = truth[index] as number;
    if (real <= 0) return { ok: false, message: `document ${index} contains no query term and must not be returned` };
    if (!(Math.abs(score - real) <= 1e-6 * Math.max(1, Math.abs(real)))) {
      return { ok: false, message: `document ${index}: score ${show(score)}, expected ${real}` };
    }
  }
  const ranked = got as [number, number][];
  if (ranked.length !== want.length) {
    return { ok: false, message: `returned ${ranked.length} document(s), expected ${want.length} (the top k among those that contain a query term)` };
  }
  for (let pos = 1; pos < ranked.length; pos++) {
    const [a, b] = [ranked[pos - 1]![0], ranked[pos]![0]];
    const [sa, sb] = [truth[a] as number, truth[b] as number];
    if (sameScore(sa, sb) ? a > b : sa < sb) {
      return { ok: false, message: `document ${a} is ranked above document ${b}${sameScore(sa, sb) ? " but they tie: ties go to the lower index" : " with a lower score"}` };
    }
  }
  if (ranked.length > 0) {
    const [lastIndex] = ranked[ranked.length - 1]!;
    const lastScore = truth[lastIndex] as number;
    for (const [index, score] of want) {
      if (seen.has(index)) continue;
      if (score > lastScore && !sameScore(score, lastScore)) return { ok: false, message: `document ${index} belongs in the top k` };
      if (sameScore(score, lastScore) && index < lastIndex) {
        return { ok: false, message: `document ${index} ties with document ${lastIndex} at the cut-off and has the lower index` };
      }
    }
  }
  return { ok: true };
};

export const checkers: Record<string, Checker> = {
  "zero-sum-pairs": zeroSumPairsChecker,
  "word-count": wordCountChecker,
  "bm25-ranking": bm25Checker,
};
