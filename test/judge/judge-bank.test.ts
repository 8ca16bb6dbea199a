/**
 * Every coding question in the content bank: both reference solutions are accepted by the real
 * sandboxed judge, within the question's own limits (so the limits hold under CI load too).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { QuestionBank } from "../../src/engine/content/bank.js";
import { loadRounds } from "../../src/engine/content/load.js";
import { contentPaths } from "../../src/engine/content/paths.js";
import { createJudge, type Judge } from "../../src/engine/judge/index.js";

const bank = new QuestionBank(loadRounds(contentPaths().roundsDir));
const coding = bank.findRound("coding")?.questions.filter((q) => q.coding) ?? [];
const cases = coding.flatMap((q) => (["python", "javascript"] as const).map((language) => [q.id, language] as const));

let judge: Judge;

beforeAll(async () => {
  judge = await createJudge({ bank });
  expect(judge.mode, judge.reason).toBe("sandbox");
  // Every generator, oracle and checker name resolves; the runs below then start without waiting.
  await judge.warmUp();
}, 120_000);

describe("the content bank's coding questions", () => {
  it("include the two seed problems", () => {
    expect(coding.map((q) => q.id)).toEqual(expect.arrayContaining(["two-sum-zero", "word-count-mapreduce"]));
  });

  it.concurrent.each(cases)("%s: the %s reference solution is accepted", async (questionId, language) => {
    const question = bank.get(questionId).question;
    const result = await judge.judge(questionId, language, question.coding!.reference[language]);
    const detail = `${result.verdict} ${result.passed}/${result.total} ${result.message ?? JSON.stringify(result.failure)}`;
    expect(result.verdict, detail).toBe("accepted");
    expect(result.passed).toBe(result.total);
  });
});

/**
 * A typical wrong answer to each ML problem, run in the real sandbox: rejected as a wrong answer on the test
 * that shows the mistake, with the input, expected and actual values when that test is a visible example.
 */
const wrongAnswers: Array<{ id: string; language: "python" | "javascript"; mistake: string; source: string; failsOn: string }> = [
  {
    id: "viterbi-decode",
    language: "python",
    mistake: "greedy argmax per token",
    failsOn: "example 1: transitions beat greedy",
    source: `
def viterbi_decode(emissions, transitions, start, end):
    if not emissions:
        return [0.0, []]
    path = [row.index(max(row)) for row in emissions]
    score = start[path[0]] + sum(emissions[t][j] for t, j in enumerate(path)) + end[path[-1]]
    score += sum(transitions[a][b] for a, b in zip(path, path[1:]))
    return [score, path]
`,
  },
  {
    id: "bm25-rank",
    language: "python",
    mistake: "classic Robertson IDF, negative for common terms",
    failsOn: "example 1",
    source: `
import math, re
from collections import Counter
def bm25_rank(query, docs, k):
    tok = lambda s: re.findall(r"[a-z0-9]+", s.lower())
    terms = set(tok(query)); toks = [tok(d) for d in docs]
    if not docs: return []
    avg = sum(map(len, toks)) / len(toks)
    df = Counter(t for d in toks for t in set(d) if t in terms)
    out = []
    for i, d in enumerate(toks):
        tf = Counter(t for t in d if t in terms)
        s = sum(math.log((len(docs) - df[t] + 0.5) / (df[t] + 0.5)) * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * len(d) / avg)) for t, f in tf.items())
        if tf: out.append([i, s])
    return sorted(out, key=lambda x: (-x[1], x[0]))[:k]
`,
  },
  {
    id: "bm25-rank",
    language: "javascript",
    mistake: "ties towards the higher index",
    failsOn: "example 1",
    source: `
function bm25Rank(query, docs, k) {
  const tok = (s) => s.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  const terms = new Set(tok(query)); const toks = docs.map(tok);
  if (!docs.length) return [];
  const avg = toks.reduce((a, d) => a + d.length, 0) / toks.length;
  const df = new Map();
  for (const d of toks) for (const t of new Set(d)) if (terms.has(t)) df.set(t, (df.get(t) ?? 0) + 1);
  const out = [];
  toks.forEach((d, i) => {
    const tf = new Map();
    for (const t of d) if (terms.has(t)) tf.set(t, (tf.get(t) ?? 0) + 1);
    let s = 0;
    for (const [t, f] of tf) s += Math.log(1 + (docs.length - df.get(t) + 0.5) / (df.get(t) + 0.5)) * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * d.length / avg));
    if (tf.size) out.push([i, s]);
  });
  return out.sort((a, b) => b[1] - a[1] || b[0] - a[0]).slice(0, k);
}
`,
  },
  {
    id: "kmeans-lloyd",
    language: "python",
    mistake: "an empty cluster's centroid jumps to the origin",
    failsOn: "no points",
    source: `
def kmeans(points, centroids, max_iter):
    cs = [list(c) for c in centroids]; assign = None
    for _ in range(max_iter):
        new = [min(range(len(cs)), key=lambda j: (sum((a - b) ** 2 for a, b in zip(p, cs[j])), j)) for p in points]
        if new == assign: break
        assign = new
        for j in range(len(cs)):
            members = [p for p, a in zip(points, assign) if a == j]
            cs[j] = [sum(col) / len(members) for col in zip(*members)] if members else [0.0] * len(cs[j])
    return [cs, assign or []]
`,
  },
  {
    id: "logistic-sgd-epoch",
    language: "python",
    mistake: "regularises the bias",
    failsOn: "L2 shrinks the weights but not the bias",
    source: `
import math
def sgd_epoch(X, y, w, b, lr, l2):
    w = list(w)
    for x, t in zip(X, y):
        z = b + sum(a * c for a, c in zip(w, x))
        p = 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))
        g = p - t
        w = [wj - lr * (g * xj + l2 * wj) for wj, xj in zip(w, x)]
        b -= lr * (g + l2 * b)
    return [w, b]
`,
  },
  {
    id: "ranking-metrics-at-k",
    language: "python",
    mistake: "AP divided by the relevant items retrieved",
    failsOn: "example",
    source: `
def ranking_metrics(rankings, relevant, k):
    rows = []
    for ranked, rel in zip(rankings, relevant):
        rel = set(rel)
        if not rel: continue
        seen, hits, top, total = set(), 0, 0, 0.0
        for i, item in enumerate(ranked, 1):
            if item in rel and item not in seen:
                seen.add(item); hits += 1; total += hits / i
                if i <= k: top += 1
        rows.append((top / k, top / len(rel), total / hits if hits else 0.0))
    return [sum(c) / len(rows) for c in zip(*rows)] if rows else [0.0, 0.0, 0.0]
`,
  },
  {
    id: "reservoir-sample-lcg",
    language: "python",
    mistake: "slot from r mod (i + 1) instead of the high bits",
    failsOn: "example 1",
    source: `
def reservoir_sample(stream, k, seed):
    res = list(stream[:k]); s = seed
    for i in range(k, len(stream)):
        s = (1664525 * s + 1013904223) % 2 ** 32
        j = s % (i + 1)
        if j < k: res[j] = stream[i]
    return res
`,
  },
  {
    id: "price-history-lookup",
    language: "python",
    mistake: "a version set exactly at t is not visible",
    failsOn: "example",
    source: `
from bisect import bisect_left
from collections import defaultdict
def price_lookups(operations):
    ts, vs, out = defaultdict(list), defaultdict(list), []
    for op in operations:
        if op[0] == "set":
            ts[op[1]].append(op[3]); vs[op[1]].append(op[2])
        else:
            i = bisect_left(ts.get(op[1], []), op[2]) - 1
            out.append(vs[op[1]][i] if i >= 0 else "")
    return out
`,
  },
];

describe("typical wrong answers to the ML problems", () => {
  it("cover every new ML problem", () => {
    const ml = ["viterbi-decode", "bm25-rank", "kmeans-lloyd", "logistic-sgd-epoch", "ranking-metrics-at-k", "reservoir-sample-lcg", "price-history-lookup"];
    expect(new Set(wrongAnswers.map((w) => w.id))).toEqual(new Set(ml));
    expect(coding.map((q) => q.id)).toEqual(expect.arrayContaining(ml));
    expect(coding.length).toBeGreaterThanOrEqual(21);
  });

  it.concurrent.each(wrongAnswers.map((w) => [w.id, w.mistake, w] as const))("%s: %s is rejected", async (_id, _mistake, wrong) => {
    const result = await judge.judge(wrong.id, wrong.language, wrong.source);
    expect(result.verdict, JSON.stringify(result.failure ?? result.message)).toBe("wrong_answer");
    expect(result.failure?.name).toBe(wrong.failsOn);
    if (!result.failure?.hidden) {
      // A visible example shows the candidate the input, what was expected and what the code returned.
      expect(result.failure?.input).toBeDefined();
      expect(result.failure?.expected).toBeDefined();
      expect(result.failure?.got).toBeDefined();
    }
  });
});

describe("word count in the sandbox", () => {
  it("accepts a mapper without in-mapper combining, also on the skewed hot-word test", async () => {
    const source = 'import re\nWORD = re.compile(r"[a-z0-9]+")\ndef mapper(line):\n    for w in WORD.findall(line.lower()):\n        yield w, 1\ndef reducer(word, counts):\n    return word, sum(counts)\n';
    const result = await judge.judge("word-count-mapreduce", "python", source);
    expect(result.verdict, JSON.stringify(result.failure ?? result.message)).toBe("accepted");
    expect(result.tests.some((t) => /hot word/.test(t.name) && t.passed)).toBe(true);
  });

  it("says so when the reducer returns a different word than the key it was called with", async () => {
    const source = "function mapper(line) { return (line.toLowerCase().match(/[a-z0-9]+/g) ?? []).map((w) => [w, 1]); }\nfunction reducer(word, counts) { return [word.toUpperCase(), counts.reduce((a, b) => a + b, 0)]; }\n";
    const result = await judge.judge("word-count-mapreduce", "javascript", source);
    expect(result.verdict).toBe("wrong_answer");
    expect(result.failure?.message).toMatch(/the reducer must return the word it was called with/);
  });

  it("rejects a reducer that is quadratic in the hot word's counts on time", async () => {
    const source = 'import re\nWORD = re.compile(r"[a-z0-9]+")\ndef mapper(line):\n    for w in WORD.findall(line.lower()):\n        yield w, 1\ndef reducer(word, counts):\n    total = 0\n    while counts:\n        total += counts.pop(0)\n    return word, total\n';
    const result = await judge.judge("word-count-mapreduce", "python", source);
    expect(result.verdict).toBe("time_limit_exceeded");
  });
});

/** Quadratic solutions a candidate would plausibly write: correct on small inputs, too slow on the large ones. */
const tooSlow: Array<{ id: string; mistake: string; source: string }> = [
  { id: "ranking-metrics-at-k", mistake: "membership tests on list prefixes and precision recomputed at every hit", source: "def ranking_metrics(rankings, relevant, k):\n    rows = []\n    for ranked, rel in zip(rankings, relevant):\n        if not rel: continue\n        hits_at_k = sum(1 for i, x in enumerate(ranked[:k]) if x in rel and x not in ranked[:i])\n        ap = 0.0\n        for i, x in enumerate(ranked):\n            if x in rel and x not in ranked[:i]:\n                hits = sum(1 for j, y in enumerate(ranked[:i + 1]) if y in rel and y not in ranked[:j])\n                ap += hits / (i + 1)\n        rows.append((hits_at_k / k, hits_at_k / len(rel), ap / len(rel)))\n    return [sum(c) / len(rows) for c in zip(*rows)] if rows else [0.0, 0.0, 0.0]\n" },
  { id: "price-history-lookup", mistake: "a scan of the whole log for every lookup", source: "def price_lookups(operations):\n    log, out = [], []\n    for op in operations:\n        if op[0] == \"set\":\n            log.append((op[1], op[3], op[2]))\n        else:\n            best = \"\"\n            for key, t, v in log:\n                if key == op[1] and t <= op[2]:\n                    best = v\n            out.append(best)\n    return out\n" },
  { id: "bm25-rank", mistake: "document frequencies and avgdl recomputed inside the per-document loop", source: "import math, re\ndef bm25_rank(query, docs, k):\n    tok = lambda s: re.findall(r\"[a-z0-9]+\", s.lower())\n    terms = set(tok(query))\n    if not docs: return []\n    out = []\n    for i, d in enumerate(docs):\n        toks = tok(d)\n        avg = sum(len(tok(x)) for x in docs) / len(docs)\n        s = 0.0\n        for t in terms:\n            f = toks.count(t)\n            if f:\n                n = sum(1 for x in docs if t in tok(x))\n                s += math.log(1 + (len(docs) - n + 0.5) / (n + 0.5)) * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * len(toks) / avg))\n        if s > 0: out.append([i, s])\n    return sorted(out, key=lambda x: (-x[1], x[0]))[:k]\n" },
];

describe("performance tests of the ML problems", () => {
  it.concurrent.each(tooSlow.map((t) => [t.id, t.mistake, t] as const))("%s: %s exceeds the time limit", async (_id, _mistake, slow) => {
    const result = await judge.judge(slow.id, "python", slow.source);
    expect(result.verdict, JSON.stringify(result.failure ?? result.message)).toBe("time_limit_exceeded");
    // Every hand-written test passed before time ran out: it is correct, just too slow.
    expect(result.tests.filter((t) => !t.name.startsWith("performance")).every((t) => t.passed)).toBe(true);
  });
});
