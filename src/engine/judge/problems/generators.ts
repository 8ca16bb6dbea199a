/**
 * Seeded generators for large (performance) tests. Each returns the positional arguments of one test,
 * exactly as a hand-written test's `args` would be, so the judge treats both alike. Deterministic for a
 * given rng: inputs are reproducible, and their expected values come from the TypeScript oracles.
 */
import { mlGenerators } from "./ml-generators.js";
import { GeneratorParamError, intParam, numParam, type Generator } from "./params.js";
import { randInt } from "./rng.js";

export { GeneratorParamError, type Generator };

function shuffle<T>(items: T[], rng: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** `count` distinct integers in [0, size): rejection sampling, fine while count is well below size. */
function distinctInts(count: number, size: number, rng: () => number): number[] {
  if (count > size) throw new GeneratorParamError(`cannot draw ${count} distinct values from ${size}`);
  const seen = new Set<number>();
  while (seen.size < count) seen.add(Math.floor(rng() * size));
  return [...seen];
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz";
const SYLLABLES = ["ba", "co", "di", "fe", "ga", "hu", "ki", "lo", "ma", "ne", "po", "ra", "su", "ta", "vi", "zo"];

/** Integer values with `planted` zero-sum pairs hidden among random ones. */
const zeroSumValues: Generator = (params, rng) => {
  const n = intParam(params, "n");
  const maxAbs = intParam(params, "maxAbs");
  const planted = intParam(params, "planted", 0);
  if (2 * planted > n) throw new GeneratorParamError("planted pairs do not fit in n");
  const nums: number[] = [];
  for (let i = 0; i < planted; i++) {
    const x = randInt(rng, 1, maxAbs);
    nums.push(x, -x);
  }
  while (nums.length < n) nums.push(randInt(rng, -maxAbs, maxAbs));
  return [shuffle(nums, rng)];
};

/** Lines of mixed-case words and punctuation drawn from a skewed vocabulary (word count). */
const wordLines: Generator = (params, rng) => {
  const lines = intParam(params, "lines");
  const wordsPerLine = intParam(params, "wordsPerLine");
  const vocabSize = intParam(params, "vocab");
  const vocab = Array.from({ length: vocabSize }, (_, i) => {
    const syllables = 1 + (i % 3);
    let word = "";
    for (let s = 0; s < syllables; s++) word += SYLLABLES[randInt(rng, 0, SYLLABLES.length - 1)];
    return word + i.toString(36);
  });
  const separators = [" ", " ", " ", ", ", ". ", " - ", "'", "\t", "_", "!? ", "/", "  "];
  const out: string[] = [];
  for (let l = 0; l < lines; l++) {
    const parts: string[] = [];
    for (let w = 0; w < wordsPerLine; w++) {
      let word = vocab[Math.floor(vocabSize * rng() ** 2)] as string;
      const style = rng();
      if (style < 0.15) word = word.charAt(0).toUpperCase() + word.slice(1);
      else if (style < 0.2) word = word.toUpperCase();
      parts.push(word, separators[randInt(rng, 0, separators.length - 1)] as string);
    }
    out.push(parts.join(""));
  }
  return [out];
};

/** Product ids with a skewed popularity, plus k (top-k frequent). */
const skewedItems: Generator = (params, rng) => {
  const n = intParam(params, "n");
  const vocab = intParam(params, "vocab");
  const k = intParam(params, "k");
  const items = Array.from({ length: n }, () => `p${Math.floor(vocab * rng() ** 2)}`);
  return [items, k];
};

/** Integers in [0, range) (longest distinct streak). */
const intStream: Generator = (params, rng) => {
  const n = intParam(params, "n");
  const range = intParam(params, "range");
  return [Array.from({ length: n }, () => Math.floor(rng() * range))];
};

/** Integers in [-range, range] and a window size k (rolling median). */
const intWindow: Generator = (params, rng) => {
  const n = intParam(params, "n");
  const k = intParam(params, "k");
  const range = intParam(params, "range");
  return [Array.from({ length: n }, () => randInt(rng, -range, range)), k];
};

/** Intervals [start, start + length] with start in [0, span] (delivery windows, shopper orders). */
const intervalList: Generator = (params, rng) => {
  const n = intParam(params, "n");
  const span = intParam(params, "span");
  const minLen = intParam(params, "minLen", 0);
  const maxLen = intParam(params, "maxLen");
  return [
    Array.from({ length: n }, () => {
      const start = randInt(rng, 0, span);
      return [start, start + randInt(rng, minLen, maxLen)];
    }),
  ];
};

/**
 * A store map: `random` scatters shelves; `serpentine` builds aisles joined at alternating ends, so the
 * shortest path snakes through most of the store. S is top-left, E bottom-right.
 */
const storeGrid: Generator = (params, rng) => {
  const rows = intParam(params, "rows");
  const cols = intParam(params, "cols");
  const layout = params["layout"] ?? "random";
  const density = numParam(params, "shelfDensity", 0.25);
  const grid: string[][] = [];
  for (let r = 0; r < rows; r++) {
    const row: string[] = [];
    for (let c = 0; c < cols; c++) {
      if (layout === "serpentine") {
        const wallRow = r % 2 === 1;
        const gapCol = (r - 1) % 4 === 0 ? cols - 1 : 0;
        row.push(wallRow && c !== gapCol ? "#" : ".");
      } else if (layout === "random") {
        row.push(rng() < density ? "#" : ".");
      } else {
        throw new GeneratorParamError(`unknown store layout ${JSON.stringify(layout)}`);
      }
    }
    grid.push(row);
  }
  (grid[0] as string[])[0] = "S";
  (grid[rows - 1] as string[])[cols - 1] = "E";
  return [grid.map((row) => row.join(""))];
};

/** Rounds to a number of decimals, so generated inputs stay short in JSON. */
function rounder(params: Record<string, unknown>, fallback: number): (x: number) => number {
  const scale = 10 ** intParam(params, "decimals", fallback);
  return (x) => Math.round(x * scale) / scale;
}

/** Floats around `base` with a given spread (running mean and variance). */
const floatStream: Generator = (params, rng) => {
  const n = intParam(params, "n");
  const base = numParam(params, "base", 0);
  const spread = numParam(params, "spread", 1);
  const round = rounder(params, 3);
  return [Array.from({ length: n }, () => round(base + spread * (rng() - 0.5)))];
};

/**
 * Integer weights (some zero) and draws that are multiples of 2^-20: short in JSON, and u * total is
 * computed identically (IEEE doubles) by the oracle and by Python and JavaScript solutions.
 */
const weightedDraws: Generator = (params, rng) => {
  const n = intParam(params, "n");
  const draws = intParam(params, "draws");
  const maxWeight = intParam(params, "maxWeight");
  const zeroFraction = numParam(params, "zeroFraction", 0);
  const weights = Array.from({ length: n }, () => (rng() < zeroFraction ? 0 : randInt(rng, 1, maxWeight)));
  if (!weights.some((w) => w > 0)) weights[n - 1] = 1;
  const us = Array.from({ length: draws }, () => Math.floor(rng() * 2 ** 20) / 2 ** 20);
  return [weights, us];
};

/** Words that are shuffles of `groups` base words, with some unrelated ones (group anagrams). */
const anagramWords: Generator = (params, rng) => {
  const n = intParam(params, "n");
  const groups = intParam(params, "groups");
  const length = intParam(params, "length");
  const randomWord = () => Array.from({ length }, () => LETTERS[randInt(rng, 0, 25)]).join("");
  const bases = Array.from({ length: groups }, randomWord);
  return [
    Array.from({ length: n }, () =>
      rng() < 0.1 ? randomWord() : shuffle([...(bases[randInt(rng, 0, groups - 1)] as string)], rng).join(""),
    ),
  ];
};

/** Two sparse vectors as unsorted [index, value] lists sharing about `overlap` of their indices. */
const sparsePair: Generator = (params, rng) => {
  const nnz = intParam(params, "nnz");
  const dim = intParam(params, "dim");
  const overlap = numParam(params, "overlap", 0.5);
  const shared = Math.floor(nnz * overlap);
  const indices = distinctInts(2 * nnz - shared, dim, rng);
  const round = rounder(params, 2);
  const value = () => round(rng() * 2 - 1);
  const a = indices.slice(0, nnz).map((i) => [i, value()]);
  const b = indices.slice(nnz - shared).map((i) => [i, value()]);
  return [shuffle(a, rng), shuffle(b, rng)];
};

/** Graded relevances, mostly 0, in ranked order, plus k (NDCG@k). */
const relevanceList: Generator = (params, rng) => {
  const n = intParam(params, "n");
  const k = intParam(params, "k");
  const maxRel = intParam(params, "maxRel", 3);
  return [Array.from({ length: n }, () => (rng() < 0.7 ? 0 : randInt(rng, 1, maxRel))), k];
};

/** Scores quantised to `levels` steps (so ties happen) with labels correlated to the score (AUC). */
const scoredLabels: Generator = (params, rng) => {
  const n = intParam(params, "n");
  const levels = intParam(params, "levels", 1000);
  const positiveRate = numParam(params, "positiveRate", 0.5);
  const scores: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = rng() < positiveRate ? 1 : 0;
    const raw = Math.min(1, Math.max(0, 0.4 + 0.2 * label + (rng() + rng() + rng() - 1.5) * 0.4));
    scores.push(Math.round(raw * levels) / levels);
    labels.push(label);
  }
  return [scores, labels];
};

/** A time-ordered request log [timestamp, user] plus the limit and window (rate limiter). */
const requestLog: Generator = (params, rng) => {
  const n = intParam(params, "n");
  const users = intParam(params, "users");
  const maxGap = intParam(params, "maxGap");
  const limit = intParam(params, "limit");
  const window = intParam(params, "window");
  let t = 0;
  const requests = Array.from({ length: n }, () => {
    t += randInt(rng, 0, maxGap);
    return [t, `u${randInt(rng, 1, users)}`];
  });
  return [requests, limit, window];
};

/**
 * Skewed text: one hot word ("the" by default) makes up `hotShare` of all words, so one reducer receives
 * hundreds of thousands of counts unless the mapper combines within its line.
 */
const hotWordLines: Generator = (params, rng) => {
  const lines = intParam(params, "lines");
  const wordsPerLine = intParam(params, "wordsPerLine");
  const vocabSize = intParam(params, "vocab");
  const hotShare = numParam(params, "hotShare");
  const hot = typeof params["hot"] === "string" ? (params["hot"] as string) : "the";
  const vocab = Array.from({ length: vocabSize }, (_, i) => SYLLABLES[i % SYLLABLES.length] + i.toString(36));
  const out: string[] = [];
  for (let l = 0; l < lines; l++) {
    const words: string[] = [];
    for (let w = 0; w < wordsPerLine; w++) {
      const r = rng();
      words.push(r < hotShare ? (r < hotShare / 10 ? hot.toUpperCase() : hot) : (vocab[randInt(rng, 0, vocabSize - 1)] as string));
    }
    out.push(words.join(rng() < 0.5 ? " " : ", "));
  }
  return [out];
};

export const generators: Record<string, Generator> = {
  "zero-sum-values": zeroSumValues,
  "word-lines": wordLines,
  "skewed-items": skewedItems,
  "int-stream": intStream,
  "int-window": intWindow,
  "interval-list": intervalList,
  "store-grid": storeGrid,
  "float-stream": floatStream,
  "weighted-draws": weightedDraws,
  "anagram-words": anagramWords,
  "sparse-pair": sparsePair,
  "relevance-list": relevanceList,
  "scored-labels": scoredLabels,
  "request-log": requestLog,
  "hot-word-lines": hotWordLines,
  ...mlGenerators,
};
