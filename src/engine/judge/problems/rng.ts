/**
 * Deterministic pseudo-random numbers for generated (performance) tests.
 * The same seed must yield the same test on every machine and in every run, so the judge, the bench and
 * the problem-bank tests all see identical inputs; Math.random() cannot give that.
 */

/** mulberry32: tiny, fast, and good enough for test data (not for anything secret). Values in [0, 1). */
export function seededRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The rng for a generated test: seeded by its `seed` param so two tests of one generator can differ. */
export function rngForParams(params: Record<string, unknown>, fallbackSeed = 1): () => number {
  const seed = params["seed"];
  return seededRng(typeof seed === "number" && Number.isFinite(seed) ? seed : fallbackSeed);
}

/** Integer in [lo, hi] (inclusive). */
export function randInt(rng: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}
