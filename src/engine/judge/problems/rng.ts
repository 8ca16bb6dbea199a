/**
 * Deterministic pseudo-random numbers for generated (performance) tests.
 * The same seed must yield the same test on every machine and in every run, so the judge, the bench and
 * the problem-bank tests all see identical inputs; Math.random() cannot give that.
 */
import { seededRng } from "../../random.js";

export { seededRng };

/** The rng for a generated test: seeded by its `seed` param so two tests of one generator can differ. */
export function rngForParams(params: Record<string, unknown>, fallbackSeed = 1): () => number {
  const seed = params["seed"];
  return seededRng(typeof seed === "number" && Number.isFinite(seed) ? seed : fallbackSeed);
}

/** Integer in [lo, hi] (inclusive). */
export function randInt(rng: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}
