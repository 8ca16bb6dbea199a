import { describe, expect, it } from "vitest";
import { committeeDecision, type RoundVerdict } from "../../src/engine/loop/committee.js";
import type { HireSignal } from "../../src/engine/grading/types.js";

const TITLES: Record<string, string> = {
  "hiring-manager": "Hiring manager",
  coding: "Coding",
  "ir-ranking": "IR",
  "ml-system-design": "ML system design",
  "ml-modeling": "ML modeling",
  behavioral: "Behavioral",
};

/** Signals for coding, ir, mlsd, modeling, behavioral (and optionally the HM chat), in that order. */
function loop(signals: [HireSignal, HireSignal, HireSignal, HireSignal, HireSignal], hm?: HireSignal): RoundVerdict[] {
  const ids = ["coding", "ir-ranking", "ml-system-design", "ml-modeling", "behavioral"];
  const rounds = ids.map((roundId, i) => ({ roundId, title: TITLES[roundId]!, signal: signals[i]! }));
  return hm ? [{ roundId: "hiring-manager", title: TITLES["hiring-manager"]!, signal: hm }, ...rounds] : rounds;
}

const H = "hire" as const;
const SH = "strong-hire" as const;
const NH = "no-hire" as const;
const SNH = "strong-no-hire" as const;

describe("the hiring-committee rule", () => {
  it("rule 1: two strong-no-hire rounds, or a majority below the bar, is a strong no hire", () => {
    expect(committeeDecision(loop([H, SNH, H, SNH, SH])).outcome).toBe("strong-no-hire");
    const majority = committeeDecision(loop([SH, NH, H, NH, NH]));
    expect(majority.outcome).toBe("strong-no-hire");
    expect(majority.rule).toContain("most rounds are below the bar");
  });

  it("rule 2: a single strong no hire anywhere is a no hire, even with every other round strong", () => {
    const d = committeeDecision(loop([SH, SH, SH, SH, SNH]));
    expect(d.outcome).toBe("no-hire");
    expect(d.reasons.join(" ")).toContain("Behavioral: strong no hire");
  });

  it("rule 2: a core round below the bar is a no hire; the same miss in a non-core round is tolerated", () => {
    const coreMiss = committeeDecision(loop([NH, SH, SH, SH, SH]));
    expect(coreMiss.outcome).toBe("no-hire");
    expect(coreMiss.rule).toContain("core round");
    expect(committeeDecision(loop([SH, SH, SH, NH, SH])).outcome).toBe("hire");
    expect(committeeDecision(loop([H, H, NH, H, H])).outcome).toBe("no-hire");
  });

  it("rule 2: two non-core rounds below the bar is a no hire", () => {
    expect(committeeDecision(loop([H, NH, H, NH, H])).outcome).toBe("no-hire");
  });

  it("rule 3: strong hire needs every round at hire or better and three strong hires including a core round", () => {
    expect(committeeDecision(loop([SH, SH, H, SH, H])).outcome).toBe("strong-hire");
    // Three strong hires, none of them core.
    expect(committeeDecision(loop([H, SH, H, SH, SH])).outcome).toBe("hire");
    // Only two strong hires.
    expect(committeeDecision(loop([SH, SH, H, H, H])).outcome).toBe("hire");
    // A non-core miss rules strong hire out.
    expect(committeeDecision(loop([SH, SH, SH, SH, NH])).outcome).toBe("hire");
  });

  it("the hiring-manager chat is advisory: below the bar it only rules out strong hire", () => {
    expect(committeeDecision(loop([SH, SH, SH, SH, SH], SNH)).outcome).toBe("hire");
    expect(committeeDecision(loop([SH, SH, SH, SH, SH], SNH)).reasons.join(" ")).toContain("Hiring-manager chat");
    expect(committeeDecision(loop([SH, SH, SH, SH, SH], H)).outcome).toBe("strong-hire");
    expect(committeeDecision(loop([H, H, H, H, H], SNH)).outcome).toBe("hire");
  });

  it("rule 4: every round at hire is a hire, and the decision names its rule", () => {
    const d = committeeDecision(loop([H, H, H, H, H]));
    expect(d.outcome).toBe("hire");
    expect(d.rule).toMatch(/^Rule 4/);
  });
});
