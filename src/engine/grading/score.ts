/**
 * Everything numeric about a critique is computed here, in code, for both graders: the model only
 * proposes per-dimension scores; caps, the overall score and the hire signal are never its call.
 */
import type { Question, Round } from "../content/schema.js";
import type { CodeRunSummary, DimensionScore, HireSignal } from "./types.js";

export const MIN_SCORE = 1;
export const MAX_SCORE = 4;

/**
 * Hire-signal thresholds on the weighted overall score (1–4), checked from the top:
 *   overall ≥ 3.50 → strong-hire     (mostly 4s: would champion the candidate)
 *   overall ≥ 2.75 → hire            (solid 3s, at most one weak spot)
 *   overall ≥ 2.00 → no-hire         (some substance, but 2s dominate)
 *   otherwise      → strong-no-hire  (little or no relevant content)
 */
export const HIRE_THRESHOLDS: ReadonlyArray<{ min: number; signal: HireSignal }> = [
  { min: 3.5, signal: "strong-hire" },
  { min: 2.75, signal: "hire" },
  { min: 2.0, signal: "no-hire" },
];

export function hireSignal(overall: number): HireSignal {
  return HIRE_THRESHOLDS.find((t) => overall >= t.min)?.signal ?? "strong-no-hire";
}

// One definition of which dimensions a question is scored on, shared with the LLM critic.
export { applicableDimensions } from "../content/dimensions.js";

export function clampScore(score: number): number {
  return Math.min(MAX_SCORE, Math.max(MIN_SCORE, score));
}

/** Weighted mean of the dimension scores using the round's rubric weights, rounded to 2 decimals. */
export function weightedOverall(rubric: Round["rubric"], dimensions: readonly Pick<DimensionScore, "id" | "score">[]): number {
  let total = 0;
  let weights = 0;
  for (const dim of rubric) {
    const scored = dimensions.find((d) => d.id === dim.id);
    if (!scored) continue;
    total += dim.weight * clampScore(scored.score);
    weights += dim.weight;
  }
  if (weights === 0) return MIN_SCORE;
  return Math.round((total / weights) * 100) / 100;
}

/**
 * The dimension a hint helps most with: the one most of the question's key points belong to
 * (ties → higher rubric weight → earlier in the rubric). Hints exist to unblock the core of the
 * question, so that is the skill the candidate did not show unaided.
 */
export function hintedDimension(round: Round, question: Question): string {
  const counts = new Map<string, number>();
  for (const kp of question.keyPoints) counts.set(kp.dimension, (counts.get(kp.dimension) ?? 0) + 1);
  let best = round.rubric[0]!;
  for (const dim of round.rubric) {
    const a = counts.get(dim.id) ?? 0;
    const b = counts.get(best.id) ?? 0;
    if (a > b || (a === b && dim.weight > best.weight)) best = dim;
  }
  return best.id;
}

/**
 * Hint caps, a pure function of how many hints were taken:
 *   0 hints → no cap
 *   1 hint  → the hinted dimension is capped at 3 (can still be "hire" there, not "strong hire")
 *   2+      → the hinted dimension is capped at 2
 *   3+      → additionally, every other dimension is capped at 3 (the answer was largely guided)
 */
export function hintCaps(round: Round, question: Question, hintsUsed: number): Record<string, number> {
  const caps: Record<string, number> = {};
  if (!(hintsUsed >= 1)) return caps;
  const hinted = hintedDimension(round, question);
  if (hintsUsed >= 3) for (const dim of round.rubric) caps[dim.id] = 3;
  caps[hinted] = hintsUsed >= 2 ? 2 : 3;
  return caps;
}

/** Dimensions the judge's verdict speaks for: correctness, and complexity (the performance tests). */
const CORRECTNESS_DIMENSION = /correct/;
const COMPLEXITY_DIMENSION = /complex|efficien|perf/;
/** Verdicts that mean the performance tests rejected the solution. */
const PERFORMANCE_REJECTION = /time_limit|timeout|memory_limit/;

/**
 * Caps from the code judge's verdict, so no critique contradicts the tests:
 *   correctness dimension(s): all tests passed → no cap; some failed → 2; none passed (or compile
 *   error / rejected) → 1.
 *   complexity dimension(s): rejected by the performance tests (time or memory limit) → 2.
 * Rounds without such dimensions get no code caps.
 */
export function codeCaps(round: Round, code: CodeRunSummary | undefined): Record<string, number> {
  const caps: Record<string, number> = {};
  if (!code || code.total <= 0) return caps;
  const correctness = code.passed >= code.total ? undefined : code.passed > 0 ? 2 : 1;
  for (const dim of round.rubric) {
    if (correctness !== undefined && CORRECTNESS_DIMENSION.test(dim.id)) caps[dim.id] = correctness;
    if (PERFORMANCE_REJECTION.test(code.verdict) && COMPLEXITY_DIMENSION.test(dim.id)) caps[dim.id] = 2;
  }
  return caps;
}

/**
 * Floors from the code judge's verdict: an accepted solution passed every hidden test, including the
 * performance tests sized to reject a slower algorithm, so correctness and complexity are at least 3
 * whatever the wording around the code. Hint caps still apply after the floors.
 */
export function codeFloors(round: Round, code: CodeRunSummary | undefined): Record<string, number> {
  const floors: Record<string, number> = {};
  if (!code || code.verdict !== "accepted" || code.total <= 0 || code.passed < code.total) return floors;
  for (const dim of round.rubric) if (CORRECTNESS_DIMENSION.test(dim.id) || COMPLEXITY_DIMENSION.test(dim.id)) floors[dim.id] = 3;
  return floors;
}

/** Raises scores below their floor (a floor never lifts a score above the maximum). */
export function applyFloors(dimensions: readonly DimensionScore[], floors: Record<string, number>): DimensionScore[] {
  return dimensions.map((d) => {
    const floor = floors[d.id];
    return floor !== undefined && d.score < floor ? { ...d, score: floor } : d;
  });
}

function mergeCaps(...all: Record<string, number>[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const caps of all) for (const [id, cap] of Object.entries(caps)) merged[id] = Math.min(merged[id] ?? MAX_SCORE, cap);
  return merged;
}

/** Lowers scores above their cap and records the cap on the dimension so the critique can say why. */
export function applyCaps(dimensions: readonly DimensionScore[], caps: Record<string, number>): DimensionScore[] {
  return dimensions.map((d) => {
    const cap = caps[d.id];
    if (cap === undefined || d.score <= cap) return d;
    return { ...d, score: cap, cappedAt: cap };
  });
}

export interface FinalScores {
  dimensions: DimensionScore[];
  overall: number;
  signal: HireSignal;
}

/**
 * Applies the code judge's floors, then hint and code caps, then derives overall and signal: the
 * single path both graders use. Dimensions not listed are not scored (a question may use a subset).
 */
export function finalScores(
  round: Round,
  question: Question,
  dimensions: readonly DimensionScore[],
  hintsUsed = 0,
  code?: CodeRunSummary,
): FinalScores {
  const capped = applyCaps(
    applyFloors(
      dimensions.map((d) => ({ ...d, score: clampScore(d.score) })),
      codeFloors(round, code),
    ),
    mergeCaps(hintCaps(round, question, hintsUsed), codeCaps(round, code)),
  );
  const overall = weightedOverall(round.rubric, capped);
  return { dimensions: capped, overall, signal: hireSignal(overall) };
}
