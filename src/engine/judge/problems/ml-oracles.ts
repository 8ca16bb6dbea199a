/**
 * Trusted TypeScript implementations of the ML coding problems (decoding, retrieval, clustering, SGD,
 * ranking metrics, sampling, versioned lookups). Same contract as oracles.ts: written independently of
 * the reference solutions, fast enough that large generated tests stay cheap to grade.
 */
import { tokenize } from "./text.js";

const asMatrix = (v: unknown) => v as number[][];
const asNumbers = (v: unknown) => v as number[];

/**
 * Viterbi with the tie rule the prompt states: previous tags are scanned in increasing order and only a
 * strictly better score replaces the best (smallest index wins), and the smallest final tag wins.
 */
export function viterbiDecode([emissions, transitions, start, end]: unknown[]): [number, number[]] {
  const em = asMatrix(emissions);
  const trans = asMatrix(transitions);
  const first = asNumbers(start);
  const last = asNumbers(end);
  const n = em.length;
  const tags = first.length;
  if (n === 0) return [0, []];
  let prev = Float64Array.from(first, (s, j) => s + (em[0]![j] as number));
  const back = new Int32Array(n * tags);
  for (let t = 1; t < n; t++) {
    const cur = new Float64Array(tags);
    for (let j = 0; j < tags; j++) {
      let best = -Infinity;
      let arg = 0;
      for (let i = 0; i < tags; i++) {
        const s = (prev[i] as number) + (trans[i]![j] as number);
        if (s > best) {
          best = s;
          arg = i;
        }
      }
      cur[j] = best + (em[t]![j] as number);
      back[t * tags + j] = arg;
    }
    prev = cur;
  }
  let best = -Infinity;
  let tag = 0;
  for (let j = 0; j < tags; j++) {
    const s = (prev[j] as number) + (last[j] as number);
    if (s > best) {
      best = s;
      tag = j;
    }
  }
  const path = new Array<number>(n);
  for (let t = n - 1; t >= 0; t--) {
    path[t] = tag;
    tag = back[t * tags + tag] as number;
  }
  return [best, path];
}

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

/** BM25 score of every document (Lucene IDF, distinct query terms, k1 = 1.2, b = 0.75). */
export function bm25Scores(query: string, docs: readonly string[]): number[] {
  const terms = [...new Set(tokenize(query))];
  const docTokens = docs.map(tokenize);
  const n = docs.length;
  const avgdl = n === 0 ? 0 : docTokens.reduce((s, d) => s + d.length, 0) / n;
  const tfs = docTokens.map((tokens) => {
    const tf = new Map<string, number>();
    for (const t of tokens) if (terms.includes(t)) tf.set(t, (tf.get(t) ?? 0) + 1);
    return tf;
  });
  const idf = new Map(
    terms.map((t) => {
      const df = tfs.reduce((c, tf) => c + (tf.has(t) ? 1 : 0), 0);
      return [t, Math.log(1 + (n - df + 0.5) / (df + 0.5))];
    }),
  );
  return tfs.map((tf, d) => {
    let score = 0;
    for (const t of terms) {
      const f = tf.get(t);
      if (!f) continue;
      const norm = BM25_K1 * (1 - BM25_B + (BM25_B * (docTokens[d] as string[]).length) / avgdl);
      score += ((idf.get(t) as number) * f * (BM25_K1 + 1)) / (f + norm);
    }
    return score;
  });
}

/** Top k documents with a positive score as [index, score], score descending, ties by lower index. */
export function bm25Rank([query, docs, k]: unknown[]): [number, number][] {
  const scores = bm25Scores(query as string, docs as string[]);
  return scores
    .map((s, i) => [i, s] as [number, number])
    .filter(([, s]) => s > 0)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, k as number);
}

/** Lloyd's k-means from the given centroids; stops when an assignment step changes nothing. */
export function kmeans([points, centroids, maxIter]: unknown[]): [number[][], number[]] {
  const pts = asMatrix(points);
  const cents = asMatrix(centroids).map((c) => [...c]);
  const dims = cents[0]?.length ?? 0;
  let assignment: number[] | undefined;
  for (let iter = 0; iter < (maxIter as number); iter++) {
    const next = pts.map((p) => {
      let best = Infinity;
      let arg = 0;
      cents.forEach((c, j) => {
        let d = 0;
        for (let x = 0; x < dims; x++) d += ((p[x] as number) - (c[x] as number)) ** 2;
        if (d < best) {
          best = d;
          arg = j;
        }
      });
      return arg;
    });
    if (assignment && next.every((a, i) => a === assignment![i])) break;
    assignment = next;
    const sums = cents.map(() => new Array<number>(dims).fill(0));
    const counts = cents.map(() => 0);
    pts.forEach((p, i) => {
      const j = next[i] as number;
      counts[j]! += 1;
      for (let x = 0; x < dims; x++) sums[j]![x]! += p[x] as number;
    });
    counts.forEach((c, j) => {
      if (c > 0) cents[j] = sums[j]!.map((s) => s / c);
    });
  }
  return [cents, assignment ?? []];
}

/** Logistic sigmoid that never overflows: exp of a non-positive number only. */
function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** One epoch of SGD on log loss + (l2 / 2)·‖w‖², examples in order, bias not regularised. */
export function sgdEpoch([features, labels, weights, bias, lr, l2]: unknown[]): [number[], number] {
  const xs = asMatrix(features);
  const ys = asNumbers(labels);
  const w = [...asNumbers(weights)];
  let b = bias as number;
  const rate = lr as number;
  const lambda = l2 as number;
  xs.forEach((x, i) => {
    let z = b;
    for (let j = 0; j < w.length; j++) z += (w[j] as number) * (x[j] as number);
    const g = sigmoid(z) - (ys[i] as number);
    for (let j = 0; j < w.length; j++) w[j] = (w[j] as number) - rate * (g * (x[j] as number) + lambda * (w[j] as number));
    b -= rate * g;
  });
  return [w, b];
}

/**
 * Mean precision@k, mean recall@k and MAP over the queries that have at least one relevant item. AP is
 * over the whole ranked list and divides by the number of relevant items; a repeated id counts once.
 */
export function rankingMetrics([rankings, relevant, k]: unknown[]): [number, number, number] {
  const lists = rankings as string[][];
  const truth = relevant as string[][];
  const cutoff = k as number;
  let precision = 0;
  let recall = 0;
  let ap = 0;
  let counted = 0;
  lists.forEach((ranked, q) => {
    const rel = new Set(truth[q]);
    if (rel.size === 0) return;
    counted++;
    const seen = new Set<string>();
    let hits = 0;
    let hitsAtK = 0;
    let precisionSum = 0;
    ranked.forEach((item, i) => {
      if (rel.has(item) && !seen.has(item)) {
        seen.add(item);
        hits++;
        precisionSum += hits / (i + 1);
        if (i < cutoff) hitsAtK++;
      }
    });
    precision += hitsAtK / cutoff;
    recall += hitsAtK / rel.size;
    ap += precisionSum / rel.size;
  });
  return counted === 0 ? [0, 0, 0] : [precision / counted, recall / counted, ap / counted];
}

/** The prompt's generator: state ← (1664525·state + 1013904223) mod 2^32, exact in doubles. */
export function lcgNext(state: number): number {
  return (1664525 * state + 1013904223) % 4294967296;
}

/** Algorithm R with the LCG: slot j = floor(r·(i + 1) / 2^32) for the item at 0-based position i ≥ k. */
export function reservoirSample([stream, k, seed]: unknown[]): number[] {
  const items = asNumbers(stream);
  const size = k as number;
  const reservoir = items.slice(0, size);
  let state = seed as number;
  for (let i = size; i < items.length; i++) {
    state = lcgNext(state);
    const j = Math.floor((state * (i + 1)) / 4294967296);
    if (j < size) reservoir[j] = items[i] as number;
  }
  return reservoir;
}

/** Price history per key: the value of the latest set at or before t, "" when there is none. */
export function timeKv([operations]: unknown[]): string[] {
  const history = new Map<string, { times: number[]; values: string[] }>();
  const out: string[] = [];
  for (const op of operations as unknown[][]) {
    if (op[0] === "set") {
      const [, key, value, t] = op as [string, string, string, number];
      let h = history.get(key);
      if (!h) history.set(key, (h = { times: [], values: [] }));
      if (h.times.length > 0 && h.times[h.times.length - 1] === t) h.values[h.values.length - 1] = value;
      else {
        h.times.push(t);
        h.values.push(value);
      }
    } else {
      const [, key, t] = op as [string, string, number];
      const h = history.get(key);
      let lo = 0;
      let hi = h ? h.times.length : 0;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((h!.times[mid] as number) <= t) lo = mid + 1;
        else hi = mid;
      }
      out.push(lo === 0 ? "" : (h!.values[lo - 1] as string));
    }
  }
  return out;
}
