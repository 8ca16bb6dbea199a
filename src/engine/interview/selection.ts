import type { QuestionBank, QuestionRef } from "../content/bank.js";
import type { Round } from "../content/schema.js";

export interface AskedEntry {
  questionId: string;
  at: string;
}

/** Deterministic in tests: pass a seeded generator. */
export type Random = () => number;

/**
 * Picks a question from `rounds`, never repeating one the person has been asked until every question in
 * that pool has been asked; then the least recently asked come back first.
 */
export function pickQuestion(
  bank: QuestionBank,
  rounds: readonly Round[],
  asked: readonly AskedEntry[],
  random: Random = Math.random,
): QuestionRef {
  const pool = rounds.flatMap((round) => round.questions.map((question) => ({ round, question })));
  if (pool.length === 0) throw new Error("no questions in the selected rounds");
  const lastAsked = new Map<string, number>();
  asked.forEach((entry, index) => lastAsked.set(entry.questionId, index));
  const fresh = pool.filter((ref) => !lastAsked.has(ref.question.id));
  if (fresh.length > 0) return fresh[Math.floor(random() * fresh.length)]!;
  // Pool exhausted: cycle again, oldest first.
  return pool.reduce((oldest, ref) =>
    lastAsked.get(ref.question.id)! < lastAsked.get(oldest.question.id)! ? ref : oldest,
  );
}

