/**
 * Trusted checkers for problems whose answers are not unique in form. A checker sees the test's args, the
 * candidate's raw return value (parsed JSON, so plain data) and the expected value (hand-written or from
 * the oracle); it recomputes the truth from the args itself, so a wrong `expected` cannot make it lenient.
 * Messages describe the first problem found without quoting the expected answer wholesale.
 */
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

export const checkers: Record<string, Checker> = {
  "zero-sum-pairs": zeroSumPairsChecker,
};
