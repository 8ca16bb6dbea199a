import type { Round } from "../content/schema.js";
import type { AnswerRecord } from "../store/records.js";
import { computeStreak, type Streak } from "./streak.js";
import { sparkline, trend, type Trend } from "./sparkline.js";
import { primaryAnswers, roundStandings, weakestDimensions, type LatestDimensionScore } from "./standings.js";

export interface RoundProgress {
  roundId: string;
  title: string;
  answers: number;
  /** Mean overall score (1–4); undefined before the first answer. */
  average?: number;
  /** Sparkline of the last scores in this round, oldest first. */
  sparkline: string;
  trend: Trend;
}

export interface WeakArea {
  roundId: string;
  roundTitle: string;
  dimensionId: string;
  title: string;
  average: number;
  count: number;
  latest: LatestDimensionScore;
}

export interface ProgressReport {
  answers: number;
  overall: { average?: number; sparkline: string; trend: Trend; recentScores: number[] };
  rounds: RoundProgress[];
  weakest: WeakArea[];
  streak: Streak;
  /** The next scheduled question, when the person has a schedule. */
  next?: { at: Date; tz: string };
}

export interface ProgressInput {
  /** The person's stored answers (their user document); never anyone else's. */
  answers: readonly AnswerRecord[];
  rounds: readonly Round[];
  /** The person's timezone: streak days are their calendar days. */
  tz: string;
  now: Date;
  next?: { at: Date; tz: string };
  /** How many recent scores the sparklines show. */
  recent?: number;
  weakest?: number;
}

const mean = (xs: readonly number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;

/** Everything `/interview stats` and the App Home show, computed from the person's own answers. */
export function buildProgress(input: ProgressInput): ProgressReport {
  const recent = input.recent ?? 10;
  const primary = primaryAnswers(input.answers);
  const standings = new Map(roundStandings(input.answers).map((s) => [s.roundId, s]));
  const titles = new Map(input.rounds.map((r) => [r.id, r.title]));
  const overallScores = primary.map((a) => a.critique.overall);
  const last = overallScores.slice(-recent);
  return {
    answers: primary.length,
    overall: {
      average: overallScores.length > 0 ? mean(overallScores) : undefined,
      sparkline: sparkline(last),
      trend: trend(last),
      recentScores: last,
    },
    rounds: input.rounds.map((round) => {
      const s = standings.get(round.id);
      const scores = (s?.scores ?? []).slice(-recent);
      return {
        roundId: round.id,
        title: round.title,
        answers: s?.count ?? 0,
        average: s?.average,
        sparkline: sparkline(scores),
        trend: trend(scores),
      };
    }),
    weakest: weakestDimensions(input.answers, input.weakest ?? 3).map((d) => ({
      roundId: d.roundId,
      roundTitle: titles.get(d.roundId) ?? d.roundId,
      dimensionId: d.dimensionId,
      title: d.title,
      average: d.average,
      count: d.count,
      latest: d.latest,
    })),
    // Every graded reply counts for the streak, follow-ups included: the habit is what it measures.
    streak: computeStreak(input.answers.map((a) => new Date(a.createdAt)), input.tz, input.now),
    next: input.next,
  };
}
