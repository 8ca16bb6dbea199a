/**
 * Seeded generators for the ML coding problems' performance tests. Numbers are kept short in JSON and,
 * where a tie rule matters (Viterbi), exact in doubles: multiples of 1/64 of modest size add up without
 * rounding, so every correct solution sees the same ties whatever order it adds in.
 */
import { intParam, numParam, type Generator } from "./params.js";
import { randInt } from "./rng.js";

const dyadic = (rng: () => number, range: number) => randInt(rng, -range * 64, range * 64) / 64;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Emission, transition, start and end log-scores; `forbidden` of the off-diagonal transitions are -10^9. */
const viterbiScores: Generator = (params, rng) => {
  const n = intParam(params, "n");
  const tags = intParam(params, "tags");
  const range = intParam(params, "range", 8);
  const forbidden = numParam(params, "forbidden", 0);
  const emissions = Array.from({ length: n }, () => Array.from({ length: tags }, () => dyadic(rng, range)));
  const transitions = Array.from({ length: tags }, (_, i) =>
    Array.from({ length: tags }, (_, j) => (i !== j && rng() < forbidden ? -1e9 : dyadic(rng, range))),
  );
  const start = Array.from({ length: tags }, () => dyadic(rng, range));
  const end = Array.from({ length: tags }, () => dyadic(rng, range));
  return [emissions, transitions, start, end];
};

const WORDS = ["milk", "organic", "whole", "banana", "bananas", "fresh", "apple", "gala", "chicken", "breast", "free", "range", "eggs", "large", "brown", "oat", "almond", "greek", "yogurt", "plain", "vanilla", "bread", "sourdough", "gluten", "cheddar", "cheese", "sharp", "frozen", "pizza", "spinach"];

/** Product titles from a skewed vocabulary and a query mixing common, rare and absent terms. */
const bm25Corpus: Generator = (params, rng) => {
  const docs = intParam(params, "docs");
  const minWords = intParam(params, "minWords", 1);
  const maxWords = intParam(params, "maxWords");
  const vocabSize = intParam(params, "vocab");
  const k = intParam(params, "k");
  const vocab = Array.from({ length: vocabSize }, (_, i) => (i < WORDS.length ? (WORDS[i] as string) : `w${i.toString(36)}`));
  const pick = () => vocab[Math.floor(vocabSize * rng() ** 2)] as string;
  const seps = [" ", " ", " ", ", ", " - ", " & ", "/"];
  const titles = Array.from({ length: docs }, () => {
    const len = randInt(rng, minWords, maxWords);
    let title = "";
    for (let w = 0; w < len; w++) {
      const word = pick();
      title += (w ? (seps[randInt(rng, 0, seps.length - 1)] as string) : "") + (rng() < 0.2 ? word.toUpperCase() : word);
    }
    return title;
  });
  const query = [pick(), pick(), vocab[randInt(rng, 0, vocabSize - 1)] as string, "zzabsent"].join(" ");
  return [query.toUpperCase(), titles, k];
};

/** Gaussian-ish blobs around random centres; the initial centroids are k of the points. */
const kmeansBlobs: Generator = (params, rng) => {
  const n = intParam(params, "n");
  const k = intParam(params, "k");
  const dims = intParam(params, "dims");
  const maxIter = intParam(params, "maxIter");
  const spread = numParam(params, "spread", 5);
  const centres = Array.from({ length: k }, () => Array.from({ length: dims }, () => rng() * 100));
  const points = Array.from({ length: n }, () => {
    const c = centres[randInt(rng, 0, k - 1)] as number[];
    return c.map((x) => round2(x + spread * (rng() + rng() + rng() - 1.5)));
  });
  const initial = Array.from({ length: k }, () => [...(points[randInt(rng, 0, n - 1)] as number[])]);
  return [points, initial, maxIter];
};

/** Features in [-scale, scale] (2 decimals), labels from a noisy linear rule, zero initial weights. */
const logisticData: Generator = (params, rng) => {
  const n = intParam(params, "n");
  const d = intParam(params, "d");
  const scale = numParam(params, "scale", 1);
  const lr = numParam(params, "lr");
  const l2 = numParam(params, "l2");
  const truth = Array.from({ length: d }, () => rng() * 4 - 2);
  const xs = Array.from({ length: n }, () => Array.from({ length: d }, () => round2((rng() * 2 - 1) * scale)));
  const ys = xs.map((x) => (x.reduce((s, v, j) => s + v * (truth[j] as number), 0) + (rng() - 0.5) > 0 ? 1 : 0));
  return [xs, ys, new Array(d).fill(0), 0, lr, l2];
};

/** Ranked lists of product ids (repeats possible) and relevant sets that lean towards the top. */
const rankedLists: Generator = (params, rng) => {
  const queries = intParam(params, "queries");
  const length = intParam(params, "length");
  const catalog = intParam(params, "catalog");
  const relevantPerQuery = intParam(params, "relevant");
  const k = intParam(params, "k");
  const rankings: string[][] = [];
  const relevant: string[][] = [];
  for (let q = 0; q < queries; q++) {
    const ranked = Array.from({ length }, () => `p${randInt(rng, 0, catalog - 1)}`);
    const rel = new Set<string>();
    for (let r = 0; r < relevantPerQuery; r++) {
      rel.add(rng() < 0.7 ? (ranked[Math.floor(length * rng() ** 2)] as string) : `p${randInt(rng, 0, catalog - 1)}`);
    }
    rankings.push(ranked);
    relevant.push([...rel]);
  }
  return [rankings, relevant, k];
};

/** A stream of product ids, the reservoir size and the LCG seed. */
const reservoirStream: Generator = (params, rng) => {
  const n = intParam(params, "n");
  const k = intParam(params, "k");
  const range = intParam(params, "range");
  const stream = Array.from({ length: n }, () => randInt(rng, 0, range - 1));
  return [stream, k, Math.floor(rng() * 4294967296)];
};

/** Price updates in time order and lookups at any time; one hot key gets `hotShare` of the updates. */
const priceLog: Generator = (params, rng) => {
  const ops = intParam(params, "ops");
  const keys = intParam(params, "keys");
  const hotShare = numParam(params, "hotShare", 0);
  const getShare = numParam(params, "getShare", 0.5);
  const maxGap = intParam(params, "maxGap", 3);
  const key = () => (rng() < hotShare ? "banana" : `sku${randInt(rng, 1, keys)}`);
  let t = 0;
  const out: unknown[][] = [];
  for (let i = 0; i < ops; i++) {
    if (rng() < getShare) out.push(["get", key(), randInt(rng, 0, t + 10)]);
    else {
      t += randInt(rng, 0, maxGap);
      out.push(["set", key(), `$${randInt(rng, 1, 2000) / 100}`, t]);
    }
  }
  return [out];
};

export const mlGenerators: Record<string, Generator> = {
  "viterbi-scores": viterbiScores,
  "bm25-corpus": bm25Corpus,
  "kmeans-blobs": kmeansBlobs,
  "logistic-data": logisticData,
  "ranked-lists": rankedLists,
  "reservoir-stream": reservoirStream,
  "price-log": priceLog,
};
