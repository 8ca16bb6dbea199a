/**
 * Trusted TypeScript implementations of every coding problem. The judge uses them to compute the expected
 * value of generated tests (which carry no `expected`), and the problem-bank tests use them to cross-check
 * every hand-written expected value against an implementation written independently of the references.
 * Written for clarity first; each is still O(n log n) or better so large tests stay cheap to grade.
 */

import { bm25Rank, kmeans, rankingMetrics, reservoirSample, sgdEpoch, timeKv, viterbiDecode } from "./ml-oracles.js";
import { tokenize } from "./text.js";

export type Oracle = (args: unknown[]) => unknown;

const asNumbers = (v: unknown) => v as number[];
const asStrings = (v: unknown) => v as string[];
const asPairs = (v: unknown) => v as [number, number][];

/** Index of the first element of a sorted array that is > target (upper bound). */
function upperBound(sorted: ArrayLike<number>, target: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Index of the first element of a sorted array that is >= target (lower bound). */
function lowerBound(sorted: ArrayLike<number>, target: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) >= target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Canonical answer: pairs [negative, positive] (or [0, 0]) in ascending order. */
export function zeroSumPairs(nums: number[]): [number, number][] {
  const counts = new Map<number, number>();
  for (const v of nums) counts.set(v, (counts.get(v) ?? 0) + 1);
  const pairs: [number, number][] = [];
  for (const [v, c] of counts) {
    if (v < 0 && counts.has(-v)) pairs.push([v, -v]);
    if (v === 0 && c >= 2) pairs.push([0, 0]);
  }
  return pairs.sort((a, b) => a[0] - b[0]);
}

export { tokenize };

/** `[lines]` → {word: total}; `[{reducer: {word, counts}}]` → [word, sum(counts)] (harness protocol). */
function wordCount(args: unknown[]): unknown {
  const input = args[0];
  if (!Array.isArray(input)) {
    const { word, counts } = (input as { reducer: { word: string; counts: number[] } }).reducer;
    return [word, counts.reduce((a, b) => a + b, 0)];
  }
  // A null-prototype object, so a word such as "constructor" or "__proto__" is an ordinary key.
  const totals: Record<string, number> = Object.create(null);
  for (const line of asStrings(input)) {
    for (const word of tokenize(line)) totals[word] = (totals[word] ?? 0) + 1;
  }
  return { ...totals };
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function topKFrequent([items, k]: unknown[]): string[] {
  const counts = new Map<string, number>();
  for (const item of asStrings(items)) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || byCodePoint(a[0], b[0]))
    .slice(0, k as number)
    .map(([item]) => item);
}

function longestDistinctStreak([items]: unknown[]): number {
  const lastSeen = new Map<number, number>();
  let start = 0;
  let best = 0;
  asNumbers(items).forEach((v, i) => {
    const prev = lastSeen.get(v);
    if (prev !== undefined && prev >= start) start = prev + 1;
    lastSeen.set(v, i);
    best = Math.max(best, i - start + 1);
  });
  return best;
}

function mergeWindows([windows]: unknown[]): [number, number][] {
  const sorted = asPairs(windows)
    .map(([s, e]) => [s, e] as [number, number])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

function aisleShortestPath([grid]: unknown[]): number {
  const rows = asStrings(grid);
  const height = rows.length;
  const width = rows[0]?.length ?? 0;
  const dist = new Int32Array(height * width).fill(-1);
  const queue = new Int32Array(height * width);
  let head = 0;
  let tail = 0;
  rows.forEach((row, r) => {
    const c = row.indexOf("S");
    if (c >= 0) {
      dist[r * width + c] = 0;
      queue[tail++] = r * width + c;
    }
  });
  while (head < tail) {
    const cell = queue[head++] as number;
    const r = Math.floor(cell / width);
    const c = cell % width;
    if (rows[r]![c] === "E") return dist[cell] as number;
    for (const [dr, dc] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
      const nr = r + dr;
      const nc = c + dc;
      if (nr < 0 || nc < 0 || nr >= height || nc >= width) continue;
      const next = nr * width + nc;
      if (dist[next] !== -1 || rows[nr]![nc] === "#") continue;
      dist[next] = (dist[cell] as number) + 1;
      queue[tail++] = next;
    }
  }
  return -1;
}

/** Welford's update: stable where sum-of-squares cancels catastrophically (large mean, small spread). */
function runningStats([values]: unknown[]): [number, number, number] {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  let peak = 0;
  for (const x of asNumbers(values)) {
    n += 1;
    const delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
    peak = Math.max(peak, m2 / n);
  }
  return n === 0 ? [0, 0, 0] : [mean, m2 / n, peak];
}

function weightedSampleIndices([weights, draws]: unknown[]): number[] {
  const prefix = new Float64Array(asNumbers(weights).length);
  let total = 0;
  asNumbers(weights).forEach((w, i) => {
    total += w;
    prefix[i] = total;
  });
  return asNumbers(draws).map((u) => upperBound(prefix, u * total));
}

/** Sorted window maintained by binary search: O(n·k) moves but tiny constants, and obviously right. */
function rollingMedian([values, k]: unknown[]): number[] {
  const xs = asNumbers(values);
  const size = k as number;
  if (size <= 0 || size > xs.length) return [];
  const window = xs.slice(0, size).sort((a, b) => a - b);
  const medians: number[] = [];
  const median = () =>
    size % 2 === 1
      ? (window[(size - 1) / 2] as number)
      : ((window[size / 2 - 1] as number) + (window[size / 2] as number)) / 2;
  medians.push(median());
  for (let i = size; i < xs.length; i++) {
    window.splice(lowerBound(window, xs[i - size] as number), 1);
    const x = xs[i] as number;
    window.splice(lowerBound(window, x), 0, x);
    medians.push(median());
  }
  return medians;
}

/** Groups in order of first appearance, words in input order (the compare mode ignores both orders). */
function groupAnagrams([words]: unknown[]): string[][] {
  const groups = new Map<string, string[]>();
  for (const word of asStrings(words)) {
    const key = [...word].sort(byCodePoint).join("");
    const group = groups.get(key);
    if (group) group.push(word);
    else groups.set(key, [word]);
  }
  return [...groups.values()];
}

function sparseCosine([a, b]: unknown[]): number {
  const bValues = new Map(asPairs(b));
  let dot = 0;
  for (const [i, v] of asPairs(a)) dot += v * (bValues.get(i) ?? 0);
  const norm = (vec: [number, number][]) => Math.sqrt(vec.reduce((s, [, v]) => s + v * v, 0));
  const denominator = norm(asPairs(a)) * norm(asPairs(b));
  return denominator === 0 ? 0 : dot / denominator;
}

function ndcgAtK([relevances, k]: unknown[]): number {
  const rels = asNumbers(relevances);
  const cutoff = Math.min(k as number, rels.length);
  const dcg = (ranked: number[]) => {
    let sum = 0;
    for (let i = 0; i < cutoff; i++) sum += (2 ** (ranked[i] as number) - 1) / Math.log2(i + 2);
    return sum;
  };
  const ideal = dcg([...rels].sort((x, y) => y - x));
  return ideal === 0 ? 0 : dcg(rels) / ideal;
}

/** Mann–Whitney with average ranks for ties: P(score of a positive > score of a negative), ties count 1/2. */
function rocAuc([scores, labels]: unknown[]): number {
  const s = asNumbers(scores);
  const y = asNumbers(labels);
  const order = s.map((_, i) => i).sort((i, j) => (s[i] as number) - (s[j] as number));
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end < order.length && s[order[end] as number] === s[order[start] as number]) end++;
    const averageRank = (start + 1 + end) / 2;
    for (let t = start; t < end; t++) {
      if (y[order[t] as number] === 1) {
        positives += 1;
        positiveRankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = s.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

function rejectedRequests([requests, limit, window]: unknown[]): number[] {
  const accepted = new Map<string, number[]>();
  const heads = new Map<string, number>();
  const rejected: number[] = [];
  (requests as [number, string][]).forEach(([t, user], index) => {
    const times = accepted.get(user) ?? [];
    accepted.set(user, times);
    let head = heads.get(user) ?? 0;
    while (head < times.length && (times[head] as number) <= t - (window as number)) head++;
    heads.set(user, head);
    if (times.length - head < (limit as number)) times.push(t);
    else rejected.push(index);
  });
  return rejected;
}

/** Peak number of overlapping half-open orders [start, end): an order ending at t frees its shopper for t. */
function minShoppers([orders]: unknown[]): number {
  const starts = asPairs(orders).map(([s]) => s).sort((a, b) => a - b);
  const ends = asPairs(orders).map(([, e]) => e).sort((a, b) => a - b);
  let busy = 0;
  let peak = 0;
  let e = 0;
  for (const s of starts) {
    while ((ends[e] as number) <= s) {
      e++;
      busy--;
    }
    busy++;
    peak = Math.max(peak, busy);
  }
  return peak;
}

export const oracles: Record<string, Oracle> = {
  "two-sum-zero": ([nums]) => zeroSumPairs(asNumbers(nums)),
  "word-count-mapreduce": wordCount,
  "top-k-frequent-items": topKFrequent,
  "longest-distinct-streak": longestDistinctStreak,
  "merge-delivery-windows": mergeWindows,
  "aisle-shortest-path": aisleShortestPath,
  "running-variance": runningStats,
  "weighted-sample-indices": weightedSampleIndices,
  "rolling-median-latency": rollingMedian,
  "group-anagrams": groupAnagrams,
  "sparse-cosine": sparseCosine,
  "ndcg-at-k": ndcgAtK,
  "roc-auc": rocAuc,
  "rate-limiter-rejections": rejectedRequests,
  "min-shoppers": minShoppers,
  "viterbi-decode": viterbiDecode,
  "bm25-rank": bm25Rank,
  "kmeans-lloyd": kmeans,
  "logistic-sgd-epoch": sgdEpoch,
  "ranking-metrics-at-k": rankingMetrics,
  "reservoir-sample-lcg": reservoirSample,
  "price-history-lookup": timeKv,
};
