import type { QuestionBank, QuestionRef } from "../content/bank.js";
import type { Question, Round } from "../content/schema.js";
import type { AskedEntry, Random } from "../interview/selection.js";

/** The seed's onsite, in order; the hiring-manager chat comes first only when asked for (`--with-hm`). */
export const ONSITE_ROUNDS = ["coding", "ir-ranking", "ml-system-design", "ml-modeling", "behavioral"] as const;
export const HIRING_MANAGER_ROUND = "hiring-manager";

/** The questions the seed loop reports are tagged `seed` in the round files (in the seed's order). */
export const isSeedQuestion = (q: Question) => q.tags.includes("seed");

const isProductDesign = (q: Question) => q.tags.includes("product-sense");

/** One question slot of a round: which questions may fill it. */
interface Slot {
  accepts: (question: Question, roundId: string) => boolean;
}

const any: Slot = { accepts: () => true };

/**
 * How many questions each round asks and from which pool (1–3 per round, sized to fit its 45 minutes
 * with follow-ups): coding asks one of the seed's two problems and one more; ML system design is one
 * deep design question, probed; the behavioral round ends with a product-design question, as the seed's
 * "behavioral questions + product design" round does.
 */
export const ROUND_SLOTS: Readonly<Record<string, readonly Slot[]>> = {
  "hiring-manager": [any, any],
  coding: [{ accepts: isSeedQuestion }, any],
  "ir-ranking": [any, any],
  "ml-system-design": [any],
  "ml-modeling": [any, any],
  behavioral: [{ accepts: (q) => !isProductDesign(q) }, { accepts: isProductDesign }],
};

export interface LoopPlanRound {
  round: Round;
  questions: QuestionRef[];
}

export interface PlanInput {
  bank: QuestionBank;
  withHm: boolean;
  /** The person's asked history, oldest first (any origin). */
  asked: readonly AskedEntry[];
  /** True when this person has never started a loop: the seed's own questions come first. */
  firstLoop: boolean;
  random?: Random;
}

/**
 * Chooses the loop's rounds and questions. On a first loop the seed's questions fill the slots first,
 * in the seed's order, so the first mock onsite replays the reported one. Later loops prefer questions
 * this person has never been asked (at random among them), then the least recently asked.
 */
export function planLoop(input: PlanInput): LoopPlanRound[] {
  const random = input.random ?? Math.random;
  const lastAsked = new Map<string, number>();
  input.asked.forEach((entry, i) => lastAsked.set(entry.questionId, i));
  const roundIds = [...(input.withHm ? [HIRING_MANAGER_ROUND] : []), ...ONSITE_ROUNDS];
  return roundIds.map((roundId) => {
    const round = input.bank.round(roundId);
    const slots = ROUND_SLOTS[roundId] ?? [any];
    const chosen: Question[] = [];
    for (const slot of slots) {
      const pool = round.questions.filter((q) => slot.accepts(q, roundId) && !chosen.includes(q));
      const pick = pickFor(pool, roundId, input.firstLoop, lastAsked, random);
      if (pick) chosen.push(pick);
    }
    if (chosen.length === 0) chosen.push(round.questions[0]!);
    return { round, questions: chosen.map((question) => ({ round, question })) };
  });
}

function pickFor(
  pool: readonly Question[],
  roundId: string,
  firstLoop: boolean,
  lastAsked: ReadonlyMap<string, number>,
  random: Random,
): Question | undefined {
  if (pool.length === 0) return undefined;
  if (firstLoop) {
    const seed = pool.find(isSeedQuestion);
    if (seed) return seed;
  }
  const fresh = pool.filter((q) => !lastAsked.has(q.id));
  if (fresh.length > 0) return fresh[Math.floor(random() * fresh.length)]!;
  return pool.reduce((oldest, q) => (lastAsked.get(q.id)! < lastAsked.get(oldest.id)! ? q : oldest));
}
