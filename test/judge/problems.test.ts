import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { contentPaths } from "../../src/engine/content/paths.js";
import { roundSchema, type CompareMode, type Question, type TestCaseSpec } from "../../src/engine/content/schema.js";
import { compilePatterns, matchPhrase } from "../../src/engine/grading/phrases.js";
import { splitSentences } from "../../src/engine/grading/text.js";
import { compareResult } from "../../src/engine/judge/compare.js";
import { checkers } from "../../src/engine/judge/problems/checkers.js";
import { generators } from "../../src/engine/judge/problems/generators.js";
import { bm25Rank, bm25Scores, kmeans, lcgNext, rankingMetrics, reservoirSample, timeKv, viterbiDecode } from "../../src/engine/judge/problems/ml-oracles.js";
import { oracles } from "../../src/engine/judge/problems/oracles.js";
import { rngForParams, seededRng } from "../../src/engine/judge/problems/rng.js";

// The coding bank is parsed on its own (not through loadRounds) so these tests do not depend on the
// other rounds' files; `npm run validate` covers the whole content set.
const round = roundSchema.parse(parse(readFileSync(join(contentPaths().roundsDir, "coding.yaml"), "utf8")));
const questions = round.questions;
const byId = (id: string): Question => {
  const q = questions.find((x) => x.id === id);
  if (!q) throw new Error(`no question ${id}`);
  return q;
};
const spec = (q: Question) => {
  if (!q.coding) throw new Error(`${q.id} has no coding spec`);
  return q.coding;
};
const handWritten = (q: Question) =>
  [...spec(q).examples, ...spec(q).tests].filter((t): t is TestCaseSpec & { args: unknown[] } => t.args !== undefined);
const runGenerator = (name: string, params: Record<string, unknown>) => {
  let draws = 0;
  const rng = rngForParams(params);
  const args = generators[name]!(params, () => (draws++, rng()));
  return { args, draws };
};
/** Generated inputs are large; build each once and share it between the tests below. */
const generated = new Map<TestCaseSpec, unknown[]>();
const generate = (t: TestCaseSpec) => {
  if (!generated.has(t)) generated.set(t, runGenerator(t.generate!.generator, t.generate!.params).args);
  return generated.get(t)!;
};
/** A short fingerprint, so comparing two 100,000-element inputs is cheap and a failure prints little. */
const fingerprint = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

/** Pass/fail exactly as the judge decides it (compare modes, float tolerance, checkers). */
const matches = (mode: CompareMode, args: unknown[], got: unknown, expected: unknown) =>
  compareResult(mode, args, got, expected).ok;

describe("coding round file", () => {
  it("is the coding round with its aliases, order and a 4–6 dimension rubric", () => {
    expect(round.id).toBe("coding");
    expect(round.title).toBe("Coding and Algorithms");
    expect(round.aliases).toEqual(["code", "algo", "algorithms"]);
    expect(round.order).toBe(1);
    expect(round.rubric.map((d) => d.id)).toEqual(
      expect.arrayContaining(["correctness", "complexity", "edge-cases", "code-quality", "communication"]),
    );
  });

  it("ties every signal and key point to a rubric dimension, with valid patterns", () => {
    const dims = new Set(round.rubric.map((d) => d.id));
    for (const s of round.signals) {
      expect(dims.has(s.dimension), s.id).toBe(true);
      for (const p of s.match) expect(() => new RegExp(p, "i"), p).not.toThrow();
    }
    for (const q of questions) {
      for (const k of q.keyPoints) {
        expect(dims.has(k.dimension), `${q.id}: ${k.text}`).toBe(true);
        for (const p of k.match) expect(() => new RegExp(p, "i"), `${q.id}: ${p}`).not.toThrow();
      }
    }
  });

  it("has signals that fire on a typical strong answer and stay quiet on an empty one", () => {
    const answer =
      "The brute force is O(n^2). Instead I use a hash map, so it is O(n) time. Edge cases: empty input and duplicates. I tested it with a dry run.";
    const fired = round.signals.filter((s) => s.match.some((p) => new RegExp(p, "i").test(answer))).map((s) => s.id);
    expect(fired).toEqual(expect.arrayContaining(["complexity-notation", "hashing-and-structures", "edge-case-vocabulary", "testing-mentioned", "approach-narration"]));
    expect(round.signals.filter((s) => s.match.some((p) => new RegExp(p, "i").test("I like fish.")))).toEqual([]);
  });

  it("has at least 21 problems with unique ids", () => {
    expect(questions.length).toBeGreaterThanOrEqual(21);
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
  });
});

describe.each(questions.map((q) => [q.id, q] as const))("%s", (id, q) => {
  it("has a complete coding spec", () => {
    const c = spec(q);
    expect(c.tests.length).toBeGreaterThanOrEqual(10);
    expect(c.examples.length).toBeGreaterThanOrEqual(1);
    expect(c.examples.every((t) => t.args !== undefined && t.expected !== undefined)).toBe(true);
    expect(c.limits.timeMs).toBeGreaterThanOrEqual(1500);
    for (const lang of ["python", "javascript"] as const) {
      for (const entry of c.entry[lang]) {
        expect(c.signatures[lang]).toContain(entry);
        expect(c.reference[lang]).toMatch(lang === "python" ? new RegExp(`def ${entry}\\(`) : new RegExp(`function ${entry}\\(`));
      }
    }
    const names = [...c.examples, ...c.tests].map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("has key points on complexity, edge cases and code quality", () => {
    expect(q.keyPoints.length).toBeGreaterThanOrEqual(4);
    expect(q.keyPoints.map((k) => k.dimension)).toEqual(expect.arrayContaining(["complexity", "edge-cases", "code-quality"]));
  });

  it("has a reference answer that earns every key point, sentence by sentence as the offline grader reads it", () => {
    const sentences = splitSentences(q.referenceAnswer).map((s) => s.text);
    const missed = q.keyPoints.filter((k) => !sentences.some((s) => matchPhrase(compilePatterns(k.match), s)));
    expect(missed.map((k) => k.text)).toEqual([]);
  });

  it("has a performance test built by a known generator, large enough to punish quadratic code", () => {
    const perf = spec(q).tests.filter((t) => t.performance);
    expect(perf.length).toBeGreaterThanOrEqual(1);
    for (const t of perf) {
      expect(t.generate, t.name).toBeDefined();
      expect(generators[t.generate!.generator], t.generate!.generator).toBeTypeOf("function");
    }
    // Input size: the scalars in an argument, counting a string by its characters (grid rows, text lines).
    const size = (arg: unknown): number =>
      Array.isArray(arg) ? arg.reduce((n: number, x) => n + size(x), 0) : typeof arg === "string" ? arg.length : 1;
    const largest = Math.max(...perf.flatMap((t) => generate(t).map(size)));
    expect(largest).toBeGreaterThanOrEqual(30_000);
  });

  it("generates the same inputs for the same seed and different ones for another seed", () => {
    for (const t of spec(q).tests.filter((x) => x.generate)) {
      const { generator, params } = t.generate!;
      const first = fingerprint(generate(t));
      const again = runGenerator(generator, params);
      expect(fingerprint(again.args), t.name).toBe(first);
      // Layouts that use no randomness (a serpentine store) are the same for every seed by design.
      if (again.draws === 0) continue;
      const other = runGenerator(generator, { ...params, seed: Number(params["seed"] ?? 1) + 1 });
      expect(fingerprint(other.args), t.name).not.toBe(first);
    }
  });

  it("has an oracle that agrees with every hand-written expected value", () => {
    const oracle = oracles[id];
    expect(oracle).toBeTypeOf("function");
    for (const t of handWritten(q)) {
      expect(t.expected, `${t.name} has an expected value`).toBeDefined();
      const truth = oracle!(t.args);
      expect(matches(spec(q).compare, t.args, t.expected, truth), `${t.name}: expected ${JSON.stringify(t.expected)}, oracle ${JSON.stringify(truth)}`).toBe(true);
    }
  });

  it("has an oracle that answers every generated test and whose answer passes the comparison", () => {
    for (const t of spec(q).tests.filter((x) => x.generate)) {
      const args = generate(t);
      const truth = oracles[id]!(args);
      expect(truth, t.name).toBeDefined();
      expect(matches(spec(q).compare, args, truth, truth), t.name).toBe(true);
    }
  });
});

describe("seed problems, exactly as specified", () => {
  it("two-sum-zero: zero_sum_pairs / zeroSumPairs judged by the zero-sum-pairs checker", () => {
    const q = byId("two-sum-zero");
    expect(q.prompt).toContain("2sum: given an array, find all the 2 elements that sum to 0.");
    expect(spec(q).entry).toEqual({ python: ["zero_sum_pairs"], javascript: ["zeroSumPairs"] });
    expect(spec(q).signatures.python).toMatch(/^def zero_sum_pairs\(nums/);
    expect(spec(q).signatures.javascript).toMatch(/^function zeroSumPairs\(nums\)/);
    expect(spec(q).compare).toEqual({ mode: "checker", checker: "zero-sum-pairs" });
    const perf = spec(q).tests.filter((t) => t.performance).map(generate);
    expect(perf.every(([nums]) => (nums as number[]).length <= 100_000 && (nums as number[]).every((v) => Math.abs(v) <= 1e9))).toBe(true);
  });

  it("word-count-mapreduce: mapper + reducer on the map-reduce harness, reducer called with counts above 1", () => {
    const q = byId("word-count-mapreduce");
    expect(q.prompt).toContain(
      "Word count with map-reduce: given a text file, each line is a text string, write a map function and a reduce function to do a word frequency count.",
    );
    expect(spec(q).harness).toBe("mapreduce");
    expect(spec(q).entry).toEqual({ python: ["mapper", "reducer"], javascript: ["mapper", "reducer"] });
    const direct = handWritten(q).filter((t) => !Array.isArray(t.args[0]));
    expect(direct.some((t) => (t.args[0] as { reducer: { counts: number[] } }).reducer.counts.some((c) => c > 1))).toBe(true);
  });
});

describe("zero-sum-pairs checker", () => {
  const check = (nums: number[], got: unknown) => checkers["zero-sum-pairs"]!([nums], got, undefined);

  it("accepts the pairs in any order and either orientation", () => {
    expect(check([-1, 0, 1, 2, -2, 0], [[2, -2], [0, 0], [-1, 1]]).ok).toBe(true);
    expect(check([5], []).ok).toBe(true);
  });

  it("rejects a pair reported twice, even in the other orientation", () => {
    expect(check([3, -3, 3, -3], [[-3, 3], [-3, 3]])).toMatchObject({ ok: false, message: expect.stringContaining("more than once") });
    expect(check([3, -3], [[-3, 3], [3, -3]]).ok).toBe(false);
  });

  it("rejects [0, 0] built from a single zero", () => {
    expect(check([0, 1, -1], [[-1, 1], [0, 0]])).toMatchObject({ ok: false, message: expect.stringContaining("two zeros") });
  });

  it("rejects missing pairs, pairs that do not sum to 0, values not in the input and malformed output", () => {
    expect(check([1, -1, 2, -2], [[1, -1]])).toMatchObject({ ok: false, message: expect.stringContaining("missing") });
    expect(check([1, 2, -3], [[1, 2]]).ok).toBe(false);
    expect(check([1, -1], [[-1, 1], [-7, 7]]).ok).toBe(false);
    expect(check([1, -1], "[[-1, 1]]").ok).toBe(false);
    expect(check([1, -1], [[-1, 1, 0]]).ok).toBe(false);
    expect(check([1, -1], [["-1", "1"]]).ok).toBe(false);
    expect(check([1, -1], { 0: [-1, 1], length: 1 }).ok).toBe(false);
  });
});

/**
 * Typical mistakes, written the way a candidate would, must fail at least one hidden test. This proves the
 * tests have teeth beyond the performance tests (the judge suite runs the same idea in the real sandbox).
 */
describe("hidden tests catch typical wrong answers", () => {
  const tokenize = (line: string): string[] => line.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const mistakes: Record<string, Array<[string, (args: unknown[]) => unknown]>> = {
    "two-sum-zero": [
      ["emits a pair for every matching position", ([nums]) => {
        const a = nums as number[];
        const out: number[][] = [];
        a.forEach((x, i) => a.forEach((y, j) => { if (i < j && x + y === 0) out.push([x, y]); }));
        return out;
      }],
      ["pairs zero with itself", ([nums]) => {
        const set = new Set(nums as number[]);
        return [...set].filter((v) => v >= 0 && set.has(-v)).map((v) => [-v, v]);
      }],
    ],
    "word-count-mapreduce": [
      ["reducer counts instead of summing", ([input]) => {
        if (!Array.isArray(input)) { const { word, counts } = (input as { reducer: { word: string; counts: number[] } }).reducer; return [word, counts.length]; }
        return oracles["word-count-mapreduce"]!([input]);
      }],
      ["splits on whitespace only", ([input]) => {
        if (!Array.isArray(input)) return oracles["word-count-mapreduce"]!([input]);
        const totals: Record<string, number> = {};
        for (const line of input as string[]) for (const w of line.toLowerCase().split(/\s+/).filter(Boolean)) totals[w] = (totals[w] ?? 0) + 1;
        return totals;
      }],
      ["uses \\w+ (keeps underscores and accented letters)", ([input]) => {
        if (!Array.isArray(input)) return oracles["word-count-mapreduce"]!([input]);
        const totals: Record<string, number> = {};
        for (const line of input as string[]) for (const w of line.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []) totals[w] = (totals[w] ?? 0) + 1;
        return totals;
      }],
      ["counts in a plain object, so inherited keys such as constructor leak in", ([input]) => {
        if (!Array.isArray(input)) return oracles["word-count-mapreduce"]!([input]);
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const totals: Record<string, any> = {};
        for (const line of input as string[]) for (const w of tokenize(line)) totals[w] = (totals[w] || 0) + 1;
        return totals;
      }],
    ],
    "top-k-frequent-items": [
      ["ignores the tie-break", ([items, k]) => {
        const counts = new Map<string, number>();
        for (const x of items as string[]) counts.set(x, (counts.get(x) ?? 0) + 1);
        return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, k as number).map(([x]) => x);
      }],
      ["breaks ties case-insensitively", ([items, k]) => {
        const counts = new Map<string, number>();
        for (const x of items as string[]) counts.set(x, (counts.get(x) ?? 0) + 1);
        return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, k as number).map(([x]) => x);
      }],
    ],
    "longest-distinct-streak": [
      ["lets the window move backwards", ([items]) => {
        const last = new Map<number, number>();
        let start = 0;
        let best = 0;
        (items as number[]).forEach((v, i) => {
          if (last.has(v)) start = last.get(v)! + 1;
          last.set(v, i);
          best = Math.max(best, i - start + 1);
        });
        return best;
      }],
    ],
    "merge-delivery-windows": [
      ["overwrites the end instead of taking the max", ([windows]) => {
        const out: number[][] = [];
        for (const [s, e] of [...(windows as number[][])].sort((a, b) => a[0]! - b[0]!)) {
          const last = out[out.length - 1];
          if (last && s! <= last[1]!) last[1] = e!;
          else out.push([s!, e!]);
        }
        return out;
      }],
      ["does not merge touching windows", ([windows]) => {
        const out: number[][] = [];
        for (const [s, e] of [...(windows as number[][])].sort((a, b) => a[0]! - b[0]!)) {
          const last = out[out.length - 1];
          if (last && s! < last[1]!) last[1] = Math.max(last[1]!, e!);
          else out.push([s!, e!]);
        }
        return out;
      }],
    ],
    "aisle-shortest-path": [
      ["allows diagonal moves", ([grid]) => {
        const g = grid as string[];
        const start = g.findIndex((r) => r.includes("S"));
        const seen = new Map<string, number>([[`${start},${g[start]!.indexOf("S")}`, 0]]);
        const queue: [number, number][] = [[start, g[start]!.indexOf("S")]];
        while (queue.length) {
          const [r, c] = queue.shift()!;
          if (g[r]![c] === "E") return seen.get(`${r},${c}`);
          for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) {
            const nr = r + dr, nc = c + dc;
            if (g[nr]?.[nc] && g[nr]![nc] !== "#" && !seen.has(`${nr},${nc}`)) { seen.set(`${nr},${nc}`, seen.get(`${r},${c}`)! + 1); queue.push([nr, nc]); }
          }
        }
        return -1;
      }],
    ],
    "running-variance": [
      ["uses the sum-of-squares formula", ([values]) => {
        let n = 0, sum = 0, sq = 0, peak = 0;
        for (const x of values as number[]) { n++; sum += x; sq += x * x; peak = Math.max(peak, sq / n - (sum / n) ** 2); }
        return n ? [sum / n, sq / n - (sum / n) ** 2, peak] : [0, 0, 0];
      }],
      ["returns the sample variance", ([values]) => {
        const [mean, v, peak] = oracles["running-variance"]!([values]) as number[];
        const n = (values as number[]).length;
        return n > 1 ? [mean, (v! * n) / (n - 1), peak] : [mean, v, peak];
      }],
    ],
    "weighted-sample-indices": [
      ["uses >= instead of > (bisect_left)", ([weights, draws]) => {
        const prefix: number[] = [];
        let total = 0;
        for (const w of weights as number[]) prefix.push((total += w));
        return (draws as number[]).map((u) => prefix.findIndex((p) => p >= u * total));
      }],
    ],
    "rolling-median-latency": [
      ["takes the lower middle for even windows", ([values, k]) => {
        const v = values as number[], size = k as number, out: number[] = [];
        for (let i = 0; i + size <= v.length; i++) out.push(v.slice(i, i + size).sort((a, b) => a - b)[(size - 1) >> 1]!);
        return out;
      }],
      ["sorts numbers as strings", ([values, k]) => {
        const v = values as number[], size = k as number, out: number[] = [];
        for (let i = 0; i + size <= v.length; i++) {
          const w = v.slice(i, i + size).sort();
          out.push((w[(size - 1) >> 1]! + w[size >> 1]!) / 2);
        }
        return out;
      }],
    ],
    "group-anagrams": [
      ["drops duplicate words", ([words]) => (oracles["group-anagrams"]!([[...new Set(words as string[])]]))],
      ["lowercases before grouping", ([words]) => {
        const groups = new Map<string, string[]>();
        for (const w of words as string[]) { const key = [...w.toLowerCase()].sort().join(""); groups.set(key, [...(groups.get(key) ?? []), w]); }
        return [...groups.values()];
      }],
    ],
    "sparse-cosine": [
      ["computes the norms over shared indices only", ([a, b]) => {
        const bm = new Map(b as [number, number][]);
        let dot = 0, na = 0, nb = 0;
        for (const [i, v] of a as [number, number][]) if (bm.has(i)) { dot += v * bm.get(i)!; na += v * v; nb += bm.get(i)! ** 2; }
        return na && nb ? dot / Math.sqrt(na * nb) : 0;
      }],
    ],
    "ndcg-at-k": [
      ["uses linear gain", ([rels, k]) => {
        const r = rels as number[], cut = Math.min(k as number, r.length);
        const dcg = (g: number[]) => g.slice(0, cut).reduce((s, x, i) => s + x / Math.log2(i + 2), 0);
        const ideal = dcg([...r].sort((x, y) => y - x));
        return ideal ? dcg(r) / ideal : 0;
      }],
      ["builds the ideal ranking from the top k results only", ([rels, k]) => {
        const r = rels as number[], cut = Math.min(k as number, r.length);
        const dcg = (g: number[]) => g.slice(0, cut).reduce((s, x, i) => s + (2 ** x - 1) / Math.log2(i + 2), 0);
        const ideal = dcg(r.slice(0, cut).sort((x, y) => y - x));
        return ideal ? dcg(r) / ideal : 0;
      }],
    ],
    "roc-auc": [
      ["counts ties as losses", ([scores, labels]) => {
        const s = scores as number[], y = labels as number[];
        let wins = 0, p = 0, n = 0;
        s.forEach((si, i) => { if (y[i] === 1) { p++; s.forEach((sj, j) => { if (y[j] === 0 && si > sj) wins++; }); } else n++; });
        return p && n ? wins / (p * n) : 0.5;
      }],
    ],
    "rate-limiter-rejections": [
      ["counts rejected requests against the limit", ([requests, limit, window]) => {
        const seen = new Map<string, number[]>();
        const rejected: number[] = [];
        (requests as [number, string][]).forEach(([t, u], i) => {
          const times = (seen.get(u) ?? []).filter((x) => x > t - (window as number));
          if (times.length >= (limit as number)) rejected.push(i);
          seen.set(u, [...times, t]);
        });
        return rejected;
      }],
      ["treats the window as closed at t − window", ([requests, limit, window]) => {
        const seen = new Map<string, number[]>();
        const rejected: number[] = [];
        (requests as [number, string][]).forEach(([t, u], i) => {
          const times = (seen.get(u) ?? []).filter((x) => x >= t - (window as number));
          if (times.length >= (limit as number)) rejected.push(i);
          else times.push(t);
          seen.set(u, times);
        });
        return rejected;
      }],
    ],
    "min-shoppers": [
      ["treats back-to-back orders as overlapping", ([orders]) => {
        const o = orders as number[][];
        return o.reduce((best, [s]) => Math.max(best, o.filter(([s2, e2]) => s2! <= s! && s! <= e2!).length), 0);
      }],
    ],
    "viterbi-decode": [
      ["takes the greedy argmax of each token", ([emissions, transitions, start, end]) => {
        const em = emissions as number[][], tr = transitions as number[][], st = start as number[], en = end as number[];
        if (em.length === 0) return [0, []];
        const path = em.map((row, t) => row.map((v, j) => v + (t === 0 ? st[j]! : 0) + (t === em.length - 1 ? en[j]! : 0)).reduce((bi, v, j, r) => (v > r[bi]! ? j : bi), 0));
        const score = path.reduce((s, j, t) => s + em[t]![j]! + (t ? tr[path[t - 1]!]![j]! : st[j]!), 0) + en[path[path.length - 1]!]!;
        return [score, path];
      }],
      ["breaks ties towards the larger tag (>=)", (args) => {
        const flip = (m: number[][]) => m.map((row) => [...row].reverse());
        const [em, tr, st, en] = args as [number[][], number[][], number[], number[]];
        const tags = st.length;
        const [score, path] = viterbiDecode([flip(em), flip([...tr].reverse()), [...st].reverse(), [...en].reverse()]);
        return [score, path.map((j) => tags - 1 - j)];
      }],
      ["ignores the end scores", ([em, tr, st, en]) => viterbiDecode([em, tr, st, (en as number[]).map(() => 0)])],
    ],
    "bm25-rank": [
      ["uses the classic IDF ln((N - n + 0.5) / (n + 0.5)), negative for common terms", ([query, docs, k]) => {
        const titles = (docs as string[]).map((d): string[] => tokenize(d));
        const terms = [...new Set<string>(tokenize(query as string))];
        const avgdl = titles.reduce((a, d) => a + d.length, 0) / Math.max(1, titles.length);
        const df = (t: string) => titles.filter((d) => d.includes(t)).length;
        const scored = titles.map((d, i) => {
          let score = 0;
          let matched = false;
          for (const t of terms) {
            const f = d.filter((x) => x === t).length;
            if (!f) continue;
            matched = true;
            const idf = Math.log((titles.length - df(t) + 0.5) / (df(t) + 0.5));
            score += (idf * f * 2.2) / (f + 1.2 * (0.25 + (0.75 * d.length) / avgdl));
          }
          return [i, matched ? score : 0] as [number, number];
        });
        return scored.filter(([, sc]) => sc > 0).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k as number);
      }],
      ["breaks ties towards the higher index", (args) => {
        const ranked = bm25Rank(args);
        return [...ranked].sort((a, b) => b[1] - a[1] || b[0] - a[0]);
      }],
      ["counts a repeated query term every time", ([query, docs, k]) => {
        const all = tokenize(query as string);
        const scores = (docs as string[]).map(() => 0);
        for (const t of all) bm25Scores(t, docs as string[]).forEach((s, i) => (scores[i] = scores[i]! + s));
        return scores.map((s, i) => [i, s] as [number, number]).filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k as number);
      }],
    ],
    "kmeans-lloyd": [
      ["moves an empty cluster's centroid to the origin", ([points, centroids, maxIter]) => {
        const [cents, assignment] = kmeans([points, centroids, maxIter]);
        return [cents.map((c, j) => (assignment.includes(j) || (points as number[][]).length === 0 ? c : c.map(() => 0))), assignment];
      }],
      ["stops one update early", ([points, centroids, maxIter]) => kmeans([points, centroids, Math.max(1, (maxIter as number) - 1)])],
      ["sends ties to the larger index", ([points, centroids, maxIter]) => {
        const k = (centroids as number[][]).length;
        const [cents, assignment] = kmeans([points, [...(centroids as number[][])].reverse(), maxIter]);
        return [[...cents].reverse(), assignment.map((j) => k - 1 - j)];
      }],
    ],
    "logistic-sgd-epoch": [
      ["regularises the bias too", ([X, y, w, b, lr, l2]) => {
        let bias = b as number;
        const weights = [...(w as number[])];
        (X as number[][]).forEach((x, i) => {
          const z = bias + x.reduce((s, v, j) => s + v * weights[j]!, 0);
          const g = 1 / (1 + Math.exp(-z)) - (y as number[])[i]!;
          x.forEach((v, j) => (weights[j] = weights[j]! - (lr as number) * (g * v + (l2 as number) * weights[j]!)));
          bias -= (lr as number) * (g + (l2 as number) * bias);
        });
        return [weights, bias];
      }],
      ["applies L2 after the gradient step, to the updated weights", ([X, y, w, b, lr, l2]) => {
        let bias = b as number;
        const weights = [...(w as number[])];
        (X as number[][]).forEach((x, i) => {
          const z = bias + x.reduce((s, v, j) => s + v * weights[j]!, 0);
          const g = 1 / (1 + Math.exp(-z)) - (y as number[])[i]!;
          x.forEach((v, j) => {
            weights[j] = weights[j]! - (lr as number) * g * v;
            weights[j] = weights[j]! - (lr as number) * (l2 as number) * weights[j]!;
          });
          bias -= (lr as number) * g;
        });
        return [weights, bias];
      }],
    ],
    "ranking-metrics-at-k": [
      ["divides AP by the relevant items retrieved", (args) => {
        const [p, r] = rankingMetrics(args);
        const [rankings, relevant] = args as [string[][], string[][]];
        const aps = rankings.map((ranked, q) => {
          const rel = new Set(relevant[q]);
          if (rel.size === 0) return undefined;
          let hits = 0, sum = 0;
          const seen = new Set<string>();
          ranked.forEach((id, i) => { if (rel.has(id) && !seen.has(id)) { seen.add(id); hits++; sum += hits / (i + 1); } });
          return hits ? sum / hits : 0;
        }).filter((x): x is number => x !== undefined);
        return [p, r, aps.length ? aps.reduce((a, b) => a + b, 0) / aps.length : 0];
      }],
      ["divides precision by the list length when it is shorter than k", (args) => {
        const [rankings, relevant, k] = args as [string[][], string[][], number];
        const [, r, map] = rankingMetrics(args);
        const ps = rankings.map((ranked, q) => {
          if (relevant[q]!.length === 0) return undefined;
          const rel = new Set(relevant[q]);
          const top = [...new Set(ranked.slice(0, k))].filter((id) => rel.has(id)).length;
          return top / Math.min(k, Math.max(1, ranked.length));
        }).filter((x): x is number => x !== undefined);
        return [ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : 0, r, map];
      }],
    ],
    "reservoir-sample-lcg": [
      ["takes the slot as r mod (i + 1)", ([stream, k, seed]) => {
        const items = stream as number[], size = k as number;
        const res = items.slice(0, size);
        let state = seed as number;
        for (let i = size; i < items.length; i++) {
          state = lcgNext(state);
          const j = state % (i + 1);
          if (j < size) res[j] = items[i]!;
        }
        return res;
      }],
      ["also draws for the first k items", ([stream, k, seed]) => reservoirSample([stream, k, lcgNext(seed as number)])],
    ],
    "price-history-lookup": [
      ["excludes a version set exactly at t", ([ops]) => timeKv([(ops as unknown[][]).map((op) => (op[0] === "get" ? ["get", op[1], (op[2] as number) - 1] : op))])],
      ["keeps the first of two sets at the same timestamp", ([ops]) => {
        const seen = new Set<string>();
        const filtered = (ops as unknown[][]).filter((op) => {
          if (op[0] !== "set") return true;
          const key = `${op[1]}@${op[3]}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
        return timeKv([filtered]);
      }],
    ],
  };

  it("covers every problem in the bank", () => {
    expect(Object.keys(mistakes).sort()).toEqual(questions.map((q) => q.id).sort());
  });

  for (const [id, list] of Object.entries(mistakes)) {
    for (const [label, wrong] of list) {
      it(`${id}: ${label}`, () => {
        const q = byId(id);
        const failed = handWritten(q).filter((t) => !matches(spec(q).compare, t.args, wrong(t.args), t.expected));
        expect(failed.length, "no hidden test caught this mistake").toBeGreaterThan(0);
        expect(failed.some((t) => spec(q).tests.includes(t)), "only visible examples caught it").toBe(true);
      });
    }
  }
});

describe("seeded rng", () => {
  it("is deterministic per seed and stays in [0, 1)", () => {
    const a = seededRng(42);
    const b = seededRng(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(seededRng(43)()).not.toBe(xs[0]);
  });
});

describe("coding round content for the offline check", () => {
  const NEGATED = /\b(?:not|no|never|without|didn't|don't|doesn't|isn't|aren't|cannot|can't)\b/i;

  it("scores every question on explicit dimensions", () => {
    for (const q of questions) {
      expect(q.dimensions, q.id).toEqual(expect.arrayContaining(["correctness", "complexity", "edge-cases", "code-quality", "communication"]));
    }
  });

  it("gives every key point paraphrase fixtures: two that match, two that do not, one of them negated", () => {
    for (const q of questions) {
      for (const k of q.keyPoints) {
        const where = `${q.id}: ${k.text.slice(0, 60)}`;
        expect(k.examples, where).toBeDefined();
        expect(k.examples!.match.length, where).toBeGreaterThanOrEqual(2);
        expect(k.examples!.noMatch.length, where).toBeGreaterThanOrEqual(2);
        expect(k.examples!.noMatch.some((s) => NEGATED.test(s)), `${where}: a negated fixture`).toBe(true);
        const regexes = compilePatterns(k.match);
        for (const s of k.examples!.match) expect(matchPhrase(regexes, s), `${where}: "${s}"`).toBeDefined();
        for (const s of k.examples!.noMatch) expect(matchPhrase(regexes, s), `${where}: "${s}"`).toBeUndefined();
      }
    }
  });

  it("lists misconceptions for the seed questions and the common wrong claims, none of them in a reference answer", () => {
    for (const id of ["two-sum-zero", "word-count-mapreduce"]) expect(byId(id).misconceptions.length, id).toBeGreaterThanOrEqual(2);
    const withMisconceptions = questions.filter((q) => q.misconceptions.length > 0);
    expect(withMisconceptions.length).toBeGreaterThanOrEqual(15);
    const claims = questions.flatMap((q) => q.misconceptions.map((m) => m.claim)).join(" | ");
    // The kinds the content brief names: complexity claims, hash-map worst case, sort stability, float equality.
    for (const kind of [/O\(1\) extra space/, /worst case/, /stable sort/, /exactly 1\.0/]) expect(claims).toMatch(kind);
    for (const q of questions) {
      const sentences = splitSentences(q.referenceAnswer).map((s) => s.text);
      for (const m of q.misconceptions) {
        expect(m.examples, `${q.id}: ${m.claim}`).toBeDefined();
        const hit = sentences.find((s) => matchPhrase(compilePatterns(m.match), s));
        expect(hit, `${q.id}: the reference answer states "${m.claim}"`).toBeUndefined();
      }
    }
  });

  it("says what separates a 3 from a 4 and asks for nothing an asynchronous reader cannot see", () => {
    for (const d of round.rubric) {
      expect(d.levels[4], d.id).toMatch(/→ 3/);
      for (const level of Object.values(d.levels)) {
        expect(level, d.id).not.toMatch(/first (?:complete )?attempt|without (?:prompting|help)|when asked|after prompting|silently|drives the session/i);
      }
    }
  });
});

describe("ML coding problems, as the prompts promise", () => {
  const ml = ["viterbi-decode", "bm25-rank", "kmeans-lloyd", "logistic-sgd-epoch", "ranking-metrics-at-k", "reservoir-sample-lcg", "price-history-lookup"];

  it.each(ml)("%s has at least 10 hidden tests including performance tests", (id) => {
    const c = spec(byId(id));
    expect(c.tests.length).toBeGreaterThanOrEqual(10);
    expect(c.tests.filter((t) => t.performance).length).toBeGreaterThanOrEqual(2);
  });

  it("states the float tolerance in every prompt whose answers are compared with one", () => {
    for (const q of questions.filter((x) => spec(x).compare.mode === "float" || x.id === "bm25-rank")) {
      expect(q.prompt, q.id).toMatch(/tolerance of\s+1e-6/);
    }
  });

  it("viterbi-decode: the tie rule in the prompt decides the tie tests", () => {
    const q = byId("viterbi-decode");
    expect(q.prompt).toMatch(/SMALLEST previous tag/);
    const tie = handWritten(q).find((t) => t.name === "tie in the back-pointer goes to the smaller previous tag")!;
    expect(tie.expected).toEqual([6, [0, 2]]);
  });

  it("viterbi-decode: generated scores are multiples of 1/64, so sums are exact whatever the order", () => {
    const [em, tr] = runGenerator("viterbi-scores", { n: 50, tags: 5, forbidden: 0.3, seed: 7 }).args as [number[][], number[][]];
    for (const v of [...em.flat(), ...tr.flat()]) expect(Number.isInteger(v * 64)).toBe(true);
  });

  it("bm25-rank: the prompt's IDF is Lucene's and stays positive for a term in every document", () => {
    expect(byId("bm25-rank").prompt).toContain("ln(1 + (N − n(q) + 0.5) / (n(q) + 0.5))");
    expect(bm25Scores("milk", ["milk a", "milk b", "milk c"]).every((s) => s > 0)).toBe(true);
  });

  it("reservoir-sample-lcg: the generator is exact in doubles up to the largest sizes", () => {
    expect(lcgNext(4294967295)).toBe(Number((1664525n * 4294967295n + 1013904223n) % 4294967296n));
    expect(4294967295 * 500000).toBeLessThan(2 ** 53);
  });

  it("word-count-mapreduce: the skewed test has one word hundreds of thousands of times", () => {
    const t = spec(byId("word-count-mapreduce")).tests.find((x) => x.generate?.generator === "hot-word-lines")!;
    expect(t.performance).toBe(true);
    const counts = oracles["word-count-mapreduce"]!(generate(t)) as Record<string, number>;
    expect(Math.max(...Object.values(counts))).toBeGreaterThanOrEqual(200_000);
  });
});

describe("word-count checker", () => {
  const check = (args: unknown[], got: unknown) => compareResult({ mode: "checker", checker: "word-count" }, args, got, oracles["word-count-mapreduce"]!(args));

  it("names a reducer that returns another word than its key", () => {
    expect(check([{ reducer: { word: "milk", counts: [1, 2] } }], ["MILK", 3])).toMatchObject({ ok: false, message: expect.stringContaining("must return the key it was called with") });
    expect(check([["the cat", "the dog"]], { THE: 2, CAT: 1, DOG: 1 })).toMatchObject({ ok: false, message: expect.stringContaining("the reducer must return the word it was called with") });
  });

  it("says when the reducer counted the values instead of adding them", () => {
    expect(check([{ reducer: { word: "egg", counts: [3, 4] } }], ["egg", 2])).toMatchObject({ ok: false, message: expect.stringContaining("counted the values") });
  });

  it("names a token the rules forbid and a missing word, and accepts the right answer", () => {
    expect(check([["Don't stop"]], { "don't": 1, stop: 1 })).toMatchObject({ ok: false, message: expect.stringContaining("is not a word") });
    expect(check([["a b"]], { a: 1 })).toMatchObject({ ok: false, message: expect.stringContaining("missing") });
    expect(check([["a b a"]], { a: 2, b: 1 }).ok).toBe(true);
    expect(check([{ reducer: { word: "a", counts: [2, 5] } }], ["a", 7]).ok).toBe(true);
  });
});

describe("bm25-ranking checker", () => {
  const args = ["oat", ["rye", "oat milk", "oat milk", "oat milk"], 2];
  const check = (got: unknown) => compareResult({ mode: "checker", checker: "bm25-ranking" }, args, got, bm25Rank(args));
  const [[, s]] = bm25Rank(args) as [[number, number]];

  it("accepts the ranking with scores off by float noise", () => {
    expect(check([[1, s * (1 + 1e-12)], [2, s]]).ok).toBe(true);
  });

  it("rejects a tie broken towards the higher index, at the top and at the cut-off", () => {
    expect(check([[2, s], [1, s]])).toMatchObject({ ok: false, message: expect.stringContaining("ties go to the lower index") });
    expect(check([[1, s], [3, s]])).toMatchObject({ ok: false, message: expect.stringContaining("lower index") });
  });

  it("rejects wrong scores, documents without a query term, repeats and a short list", () => {
    expect(check([[1, s + 0.01], [2, s]]).ok).toBe(false);
    expect(check([[0, 0.5], [1, s]])).toMatchObject({ ok: false, message: expect.stringContaining("no query term") });
    expect(check([[1, s], [1, s]])).toMatchObject({ ok: false, message: expect.stringContaining("more than once") });
    expect(check([[1, s]]).ok).toBe(false);
    expect(check("[[1, 0.2]]").ok).toBe(false);
  });
});
