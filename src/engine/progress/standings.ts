import type { AnswerRecord } from "../store/records.js";

/**
 * How someone stands on each round and rubric dimension, from their graded answers. Only first
 * answers to a question (turn 0) count: follow-up probes are narrower, and their lower scores on
 * untouched dimensions would read as weaknesses that are not there.
 */

/** Recent answers weigh more: an answer this many answers old counts half as much as the latest. */
const HALF_LIFE = 4;

export interface LatestDimensionScore {
  score: number;
  justification: string;
  /** The newest verbatim quote for this dimension (may come from an older answer than the score). */
  evidence?: string;
  questionId: string;
  at: string;
}

export interface DimensionStanding {
  roundId: string;
  dimensionId: string;
  title: string;
  count: number;
  average: number;
  /** Recency-weighted mean: what selection uses, so improvement is noticed quickly. */
  recent: number;
  latest: LatestDimensionScore;
}

export interface RoundStanding {
  roundId: string;
  count: number;
  average: number;
  recent: number;
  /** Overall scores, oldest first. */
  scores: number[];
  lastAt: string;
}

export function primaryAnswers(answers: readonly AnswerRecord[]): AnswerRecord[] {
  return answers.filter((a) => a.turn === 0).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

function decayedMean(valuesOldestFirst: readonly number[]): number {
  let total = 0;
  let weights = 0;
  const n = valuesOldestFirst.length;
  valuesOldestFirst.forEach((v, i) => {
    const w = Math.pow(0.5, (n - 1 - i) / HALF_LIFE);
    total += w * v;
    weights += w;
  });
  return weights === 0 ? 0 : total / weights;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const round2 = (x: number) => Math.round(x * 100) / 100;

export function roundStandings(answers: readonly AnswerRecord[]): RoundStanding[] {
  const byRound = new Map<string, AnswerRecord[]>();
  for (const a of primaryAnswers(answers)) byRound.set(a.roundId, [...(byRound.get(a.roundId) ?? []), a]);
  return [...byRound].map(([roundId, list]) => {
    const scores = list.map((a) => a.critique.overall);
    return {
      roundId,
      count: list.length,
      average: round2(mean(scores)),
      recent: round2(decayedMean(scores)),
      scores,
      lastAt: list[list.length - 1]!.createdAt,
    };
  });
}

export function dimensionStandings(answers: readonly AnswerRecord[]): DimensionStanding[] {
  const byDim = new Map<string, { roundId: string; dimensionId: string; title: string; scores: number[]; latest: LatestDimensionScore }>();
  for (const answer of primaryAnswers(answers)) {
    for (const dim of answer.critique.dimensions) {
      const key = `${answer.roundId}/${dim.id}`;
      const quote = dim.evidence.find((e) => e.trim().length > 0);
      const previous = byDim.get(key);
      const latest: LatestDimensionScore = {
        score: dim.score,
        justification: dim.justification,
        evidence: quote ?? previous?.latest.evidence,
        questionId: answer.questionId,
        at: answer.createdAt,
      };
      if (previous) {
        previous.scores.push(dim.score);
        previous.latest = latest;
        previous.title = dim.title;
      } else {
        byDim.set(key, { roundId: answer.roundId, dimensionId: dim.id, title: dim.title, scores: [dim.score], latest });
      }
    }
  }
  return [...byDim.values()].map((d) => ({
    roundId: d.roundId,
    dimensionId: d.dimensionId,
    title: d.title,
    count: d.scores.length,
    average: round2(mean(d.scores)),
    recent: round2(decayedMean(d.scores)),
    latest: d.latest,
  }));
}

/** Weakest first by recent score, then by how many times it was seen (more evidence first). */
export function weakestDimensions(answers: readonly AnswerRecord[], limit = 3): DimensionStanding[] {
  return dimensionStandings(answers)
    .sort((a, b) => a.recent - b.recent || b.count - a.count || a.dimensionId.localeCompare(b.dimensionId))
    .slice(0, limit);
}
