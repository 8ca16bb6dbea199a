/**
 * From graded turns to question and round scores. All arithmetic reuses grading/score.ts, so the loop
 * applies exactly the caps and thresholds a single critique does.
 */
import type { Question, Round } from "../content/schema.js";
import { applicableDimensions, finalScores, hintCaps, hintedDimension, hireSignal, MIN_SCORE, weightedOverall } from "../grading/score.js";
import type { DimensionScore, HireSignal } from "../grading/types.js";
import type { LoopQuestion } from "./records.js";

export interface ScoredDimension {
  id: string;
  title: string;
  score: number;
  cappedAt?: number;
}

export interface QuestionScore {
  questionId: string;
  status: "answered" | "skipped";
  dimensions: ScoredDimension[];
  overall: number;
  /** Null when any reply was graded by the offline coverage check: coverage is not a hire judgement. */
  signal: HireSignal | null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * One question's score by dimension:
 *   - answered: each dimension is the mean of its scores over the question's turns (the answer and
 *     every follow-up, each graded with the earlier turns as context), so holding up under probing
 *     counts as much as the first answer; then the caps for ALL hints taken on the question (even one
 *     taken after the last reply) and for the code judge's verdict are applied again.
 *   - skipped (no graded reply): every dimension scores 1 — in an interview, no answer is evidence too.
 */
export function scoreQuestion(round: Round, question: Question, record: LoopQuestion): QuestionScore {
  if (record.turns.length === 0) {
    const dimensions = applicableDimensions(round, question).map((d) => ({ id: d.id, title: d.title, score: MIN_SCORE }));
    return { questionId: question.id, status: "skipped", dimensions, overall: MIN_SCORE, signal: hireSignal(MIN_SCORE) };
  }
  // Only the dimensions the question is scored on (question.dimensions) take part.
  const means: DimensionScore[] = applicableDimensions(round, question).map((d) => {
    const scores = record.turns.flatMap((t) => t.dimensions.filter((x) => x.id === d.id).map((x) => x.score));
    const score = scores.length > 0 ? round2(scores.reduce((a, b) => a + b, 0) / scores.length) : MIN_SCORE;
    return { id: d.id, title: d.title, score, justification: "", evidence: [] };
  });
  const final = finalScores(round, question, means, record.hintsTaken, record.code);
  // A turn capped before the mean keeps its cap visible even when the mean is already below it.
  const turnCaps = new Map<string, number>();
  for (const t of record.turns) for (const d of t.dimensions) if (d.cappedAt !== undefined) turnCaps.set(d.id, Math.min(turnCaps.get(d.id) ?? 4, d.cappedAt));
  return {
    questionId: question.id,
    status: "answered",
    dimensions: final.dimensions.map((d) => {
      const cappedAt = d.cappedAt ?? turnCaps.get(d.id);
      return { id: d.id, title: d.title, score: d.score, ...(cappedAt !== undefined ? { cappedAt } : {}) };
    }),
    overall: final.overall,
    signal: record.turns.every((t) => t.grader === "llm") ? final.signal : null,
  };
}

export interface RoundScore {
  dimensions: ScoredDimension[];
  overall: number;
  /** Null when any question's score is offline coverage rather than an interviewer's judgement. */
  signal: HireSignal | null;
}

/**
 * A round's dimension is the mean over its questions; overall and signal follow the rubric weights and
 * thresholds. The round has a hire signal only when every question's score has one.
 */
export function scoreRound(round: Round, questions: readonly QuestionScore[]): RoundScore {
  const dimensions = round.rubric.flatMap((d) => {
    const per = questions.flatMap((q) => q.dimensions.filter((x) => x.id === d.id));
    // A dimension none of the round's questions is scored on is not part of the round's score.
    if (per.length === 0) return [];
    const score = round2(per.reduce((a, x) => a + x.score, 0) / Math.max(1, per.length));
    const caps = per.map((x) => x.cappedAt).filter((c): c is number => c !== undefined);
    return [{ id: d.id, title: d.title, score, ...(caps.length > 0 ? { cappedAt: Math.min(...caps) } : {}) }];
  });
  const overall = weightedOverall(round.rubric, dimensions);
  return { dimensions, overall, signal: questions.every((q) => q.signal !== null) ? hireSignal(overall) : null };
}

/** Which dimension a question's hints capped, and at what, for the debrief. */
export function hintEffect(round: Round, question: Question, hintsTaken: number): { dimensionId: string; dimensionTitle: string; cap: number } | undefined {
  if (hintsTaken <= 0) return undefined;
  const dimensionId = hintedDimension(round, question);
  const cap = hintCaps(round, question, hintsTaken)[dimensionId]!;
  return { dimensionId, dimensionTitle: round.rubric.find((d) => d.id === dimensionId)!.title, cap };
}
