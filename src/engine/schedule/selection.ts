import type { QuestionRef } from "../content/bank.js";
import type { Question, Round } from "../content/schema.js";
import type { Random } from "../interview/selection.js";
import { dimensionStandings, roundStandings } from "../progress/standings.js";
import type { AnswerRecord } from "../store/records.js";
import type { FocusItem } from "./records.js";

export interface AskedEntry {
  questionId: string;
  at: string;
}

export interface SelectionInput {
  /** The subscription's rounds (already resolved); never empty. */
  rounds: readonly Round[];
  /** Everything this subscriber has been asked, oldest first (for a channel: the channel's own history). */
  asked: readonly AskedEntry[];
  /** Graded answers (a person's own); empty for channels, which then pick without weighting. */
  answers: readonly AnswerRecord[];
  focus: readonly FocusItem[];
  /** Round of the previous scheduled question: the next one prefers another round (interleaving). */
  lastRoundId?: string;
  random: Random;
}

export interface WeightedCandidate {
  ref: QuestionRef;
  weight: number;
}

/** A score of 1 means "needs everything" (need 1), 4 means "nothing to practise" (need 0). */
const need = (score: number) => Math.min(1, Math.max(0, (4 - score) / 3));
/** What we assume before any evidence: average need, so unexplored rounds still come up. */
const UNKNOWN_NEED = 0.5;
const FOCUS_BOOST = 3;
const SAME_ROUND_AS_LAST = 0.5;

/** Question id → position of its latest asking (higher = more recent). */
function lastAskedIndex(asked: readonly AskedEntry[]): Map<string, number> {
  const last = new Map<string, number>();
  asked.forEach((entry, index) => last.set(entry.questionId, index));
  return last;
}

/**
 * Per round, the questions that may come next: those never asked; once all of that round's questions
 * have been asked, the least recently asked one (the pool starts over, oldest first).
 */
export function roundPool(round: Round, asked: readonly AskedEntry[] | ReadonlyMap<string, number>): Question[] {
  const lastAsked = asked instanceof Map ? asked : lastAskedIndex(asked as readonly AskedEntry[]);
  const fresh = round.questions.filter((q) => !lastAsked.has(q.id));
  if (fresh.length > 0) return fresh;
  const oldest = round.questions.reduce((a, b) => (lastAsked.get(b.id)! < lastAsked.get(a.id)! ? b : a));
  return [oldest];
}

/**
 * Weights every candidate by how much practice its round and its rubric dimensions need:
 *   weight = focus × interleave × (0.25 + roundNeed + questionNeed)²
 * where need = (4 − recency-weighted score) / 3, and questionNeed averages the need of the
 * dimensions the question's key points exercise. Squaring makes a weak area (score ~1.5) come up
 * roughly 20× as often as a mastered one (~3.8) without ever excluding the latter: spaced
 * repetition of weak areas, not a loop on them.
 */
export function weighCandidates(input: Omit<SelectionInput, "random">): WeightedCandidate[] {
  const roundNeed = new Map(roundStandings(input.answers).map((r) => [r.roundId, need(r.recent)]));
  const dimNeed = new Map(dimensionStandings(input.answers).map((d) => [`${d.roundId}/${d.dimensionId}`, need(d.recent)]));
  const lastAsked = lastAskedIndex(input.asked);
  const candidates: WeightedCandidate[] = [];
  for (const round of input.rounds) {
    for (const question of roundPool(round, lastAsked)) {
      const dims = question.keyPoints.map((k) => k.dimension);
      const qNeed = dims.reduce((sum, d) => sum + (dimNeed.get(`${round.id}/${d}`) ?? UNKNOWN_NEED), 0) / Math.max(1, dims.length);
      const rNeed = roundNeed.get(round.id) ?? UNKNOWN_NEED;
      const focused = input.focus.some(
        (f) => f.roundId === round.id && (f.dimensionId === undefined || dims.includes(f.dimensionId)),
      );
      const interleave = input.lastRoundId === round.id && input.rounds.length > 1 ? SAME_ROUND_AS_LAST : 1;
      const weight = (focused ? FOCUS_BOOST : 1) * interleave * Math.pow(0.25 + rNeed + qNeed, 2);
      candidates.push({ ref: { round, question }, weight });
    }
  }
  return candidates;
}

/** Draws one question with probability proportional to its weight. */
export function pickScheduledQuestion(input: SelectionInput): QuestionRef {
  const candidates = weighCandidates(input);
  if (candidates.length === 0) throw new Error("no questions in the subscription's rounds");
  const total = candidates.reduce((sum, c) => sum + c.weight, 0);
  let r = input.random() * total;
  for (const c of candidates) {
    r -= c.weight;
    if (r < 0) return c.ref;
  }
  return candidates[candidates.length - 1]!.ref;
}
