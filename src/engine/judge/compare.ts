/**
 * Pass/fail for one test, decided here in TypeScript on plain data parsed from the harness's JSON
 * (never by the candidate's own equality). Modes mirror the content schema's `compare`.
 */
import type { CompareMode } from "../content/schema.js";
import { checkers } from "./problems/checkers.js";

export interface Comparison {
  ok: boolean;
  message?: string;
}

type NumberEquality = (got: number, expected: number) => boolean;

const exactNumbers: NumberEquality = (a, b) => a === b || (Number.isNaN(a) && Number.isNaN(b));

function withinTolerance(tolerance: number): NumberEquality {
  return (a, b) => {
    if (exactNumbers(a, b)) return true;
    const diff = Math.abs(a - b);
    return diff <= tolerance || diff <= tolerance * Math.abs(b);
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function deepEqual(got: unknown, expected: unknown, numbers: NumberEquality = exactNumbers): boolean {
  if (typeof expected === "number") return typeof got === "number" && numbers(got, expected);
  if (Array.isArray(expected)) {
    if (!Array.isArray(got) || got.length !== expected.length) return false;
    return expected.every((item, i) => deepEqual(got[i], item, numbers));
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(got)) return false;
    const keys = Object.keys(expected);
    if (Object.keys(got).length !== keys.length) return false;
    return keys.every((key) => Object.hasOwn(got, key) && deepEqual(got[key], expected[key], numbers));
  }
  // null, strings, booleans; `undefined` expected never matches (a test without expected needs a checker).
  return expected !== undefined && got === expected;
}

/** A canonical text for a value: object keys sorted, so equal values get equal keys in a multiset. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return JSON.stringify(String(value));
  return JSON.stringify(value) ?? "null";
}

/** Numbers numerically, strings by code unit, other types after them by canonical text. */
function compareItems(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  const rank = (v: unknown) => (typeof v === "number" ? 0 : typeof v === "string" ? 1 : 2);
  const byRank = rank(a) - rank(b);
  if (byRank !== 0) return byRank;
  const ca = canonical(a);
  const cb = canonical(b);
  return ca < cb ? -1 : ca > cb ? 1 : 0;
}

function sortedInner(value: unknown): unknown {
  return Array.isArray(value) ? [...value].sort(compareItems) : value;
}

/** Multiset equality by canonical text: a duplicated element fails even if the set of elements matches. */
function sameMultiset(got: unknown[], expected: unknown[]): boolean {
  if (got.length !== expected.length) return false;
  const counts = new Map<string, number>();
  for (const item of expected) {
    const key = canonical(item);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const item of got) {
    const key = canonical(item);
    const left = counts.get(key);
    if (!left) return false;
    counts.set(key, left - 1);
  }
  return true;
}

export function compareResult(mode: CompareMode, args: unknown[], got: unknown, expected: unknown): Comparison {
  switch (mode.mode) {
    case "exact":
      return { ok: deepEqual(got, expected) };
    case "float":
      return { ok: deepEqual(got, expected, withinTolerance(mode.tolerance)) };
    case "unordered":
      if (!Array.isArray(expected)) return { ok: deepEqual(got, expected) };
      if (!Array.isArray(got)) return { ok: false, message: "expected a list" };
      return { ok: sameMultiset(got, expected) };
    case "unordered-sorted-inner":
      if (!Array.isArray(expected)) return { ok: deepEqual(got, expected) };
      if (!Array.isArray(got)) return { ok: false, message: "expected a list" };
      return { ok: sameMultiset(got.map(sortedInner), expected.map(sortedInner)) };
    case "checker": {
      const checker = checkers[mode.checker];
      if (!checker) return { ok: false, message: `unknown checker ${mode.checker}` };
      try {
        const verdict = checker(args, got, expected);
        return verdict.message === undefined ? { ok: verdict.ok === true } : { ok: verdict.ok === true, message: verdict.message };
      } catch {
        return { ok: false, message: "the return value has an unexpected shape" };
      }
    }
  }
}
