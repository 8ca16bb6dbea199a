import type { HireSignal } from "../grading/types.js";
import { HIRING_MANAGER_ROUND } from "./plan.js";

/** The rounds whose bar the role cannot do without: a miss there is not offset by other rounds. */
export const CORE_ROUNDS: readonly string[] = ["coding", "ml-system-design"];

export interface RoundVerdict {
  roundId: string;
  title: string;
  signal: HireSignal;
}

export interface CommitteeDecision {
  outcome: HireSignal;
  /** The clause that decided, in words, e.g. "Rule 2 — no hire: a core round is below the bar". */
  rule: string;
  reasons: string[];
}

const LABEL: Record<HireSignal, string> = {
  "strong-no-hire": "strong no hire",
  "no-hire": "no hire",
  hire: "hire",
  "strong-hire": "strong hire",
};

const belowBar = (s: HireSignal) => s === "no-hire" || s === "strong-no-hire";
const describe = (r: RoundVerdict) => `${r.title}: ${LABEL[r.signal]}${CORE_ROUNDS.includes(r.roundId) ? " (core round)" : ""}`;

/**
 * The overall recommendation, decided like a hiring committee from the rounds' hire signals (each
 * round's signal is its weighted rubric score against the thresholds in grading/score.ts).
 *
 * Terms: the *onsite* rounds are all rounds except the hiring-manager chat, which is advisory (in the
 * seed it precedes the onsite). A round is *below the bar* at no hire or strong no hire. The *core*
 * rounds are coding and ML system design.
 *
 * The rules are checked in order and the first that holds decides:
 *   1. Strong no hire — two or more onsite rounds are strong no hire, or a majority of the onsite
 *      rounds (3 of 5) are below the bar.
 *   2. No hire — any onsite round is strong no hire; or a core round is below the bar; or two or more
 *      onsite rounds are below the bar.
 *   3. Strong hire — every onsite round is hire or better, at least half of them (3 of 5) are strong
 *      hire including a core round, and the hiring-manager chat, when sat, is not below the bar.
 *   4. Hire — otherwise: nothing is strong no hire and at most one non-core round is no hire.
 */
export function committeeDecision(rounds: readonly RoundVerdict[]): CommitteeDecision {
  const onsite = rounds.filter((r) => r.roundId !== HIRING_MANAGER_ROUND);
  const hm = rounds.find((r) => r.roundId === HIRING_MANAGER_ROUND);
  const snh = onsite.filter((r) => r.signal === "strong-no-hire");
  const below = onsite.filter((r) => belowBar(r.signal));
  const coreBelow = below.filter((r) => CORE_ROUNDS.includes(r.roundId));
  const strong = onsite.filter((r) => r.signal === "strong-hire");
  const hmNote = hm && belowBar(hm.signal) ? [`Hiring-manager chat: ${LABEL[hm.signal]} (advisory; it keeps the outcome below strong hire)`] : [];

  if (snh.length >= 2 || below.length * 2 > onsite.length) {
    return {
      outcome: "strong-no-hire",
      rule: snh.length >= 2 ? "Rule 1 — strong no hire: two or more rounds are strong no hire" : "Rule 1 — strong no hire: most rounds are below the bar",
      reasons: [...below.map(describe), ...hmNote],
    };
  }
  if (snh.length > 0 || coreBelow.length > 0 || below.length >= 2) {
    const rule =
      snh.length > 0
        ? "Rule 2 — no hire: a round is strong no hire"
        : coreBelow.length > 0
          ? "Rule 2 — no hire: a core round (coding or ML system design) is below the bar"
          : "Rule 2 — no hire: two rounds are below the bar";
    return { outcome: "no-hire", rule, reasons: [...below.map(describe), ...hmNote] };
  }
  const strongCore = strong.some((r) => CORE_ROUNDS.includes(r.roundId));
  if (below.length === 0 && strong.length * 2 >= onsite.length && strongCore && hmNote.length === 0) {
    return {
      outcome: "strong-hire",
      rule: "Rule 3 — strong hire: every round at hire or better, most of them strong hire including a core round",
      reasons: strong.map(describe),
    };
  }
  const reasons = [
    ...(below.length > 0 ? below.map((r) => `${describe(r)} — one non-core miss is tolerated`) : ["Every onsite round is at hire or better"]),
    ...(strong.length > 0 ? [`Strong hire in ${strong.map((r) => r.title).join(", ")}`] : []),
    ...hmNote,
  ];
  return { outcome: "hire", rule: "Rule 4 — hire: no strong no hire, and at most one non-core round below the bar", reasons };
}
