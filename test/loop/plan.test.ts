import { describe, expect, it } from "vitest";
import { planLoop } from "../../src/engine/loop/plan.js";
import { bank } from "./support.js";

const asked = (...ids: string[]) => ids.map((questionId, i) => ({ questionId, at: new Date(2025, 0, 1 + i).toISOString() }));
const ids = (plan: ReturnType<typeof planLoop>, roundId: string) => plan.find((p) => p.round.id === roundId)!.questions.map((q) => q.question.id);

describe("planning a loop", () => {
  it("on a first loop replays the seed's questions, even ones practised before", () => {
    const plan = planLoop({ bank, withHm: true, asked: asked("two-sum-zero", "mm-customer-ltv"), firstLoop: true, random: () => 0 });
    expect(ids(plan, "hiring-manager")).toEqual(["hm-past-experience", "hm-why-leave"]);
    expect(ids(plan, "coding")).toEqual(["two-sum-zero", "word-count-mapreduce"]);
    expect(ids(plan, "ml-modeling")).toEqual(["mm-customer-ltv", "mm-churn"]);
  });

  it("on later loops asks questions this person has not been asked, and always one of the seed's coding problems", () => {
    const history = asked("two-sum-zero", "word-count-mapreduce", "ir-past-nlp-project", "ir-sparse-dense-features", "mlsd-grocery-search-ranking");
    for (const r of [0, 0.3, 0.6, 0.99]) {
      const plan = planLoop({ bank, withHm: false, asked: history, firstLoop: false, random: () => r });
      const coding = ids(plan, "coding");
      // Both seed problems were asked: the one asked longest ago comes back.
      expect(coding[0]).toBe("two-sum-zero");
      expect(["two-sum-zero", "word-count-mapreduce"]).not.toContain(coding[1]);
      expect(ids(plan, "ir-ranking")).not.toContain("ir-past-nlp-project");
      expect(ids(plan, "ml-system-design")).not.toContain("mlsd-grocery-search-ranking");
      expect(new Set(plan.flatMap((p) => p.questions.map((q) => q.question.id))).size).toBe(plan.flatMap((p) => p.questions).length);
    }
  });
});
