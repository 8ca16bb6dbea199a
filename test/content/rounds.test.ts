import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { QuestionBank } from "../../src/engine/content/bank.js";
import { roundJsonSchema } from "../../src/engine/content/json-schema.js";
import { ContentError, loadRounds } from "../../src/engine/content/load.js";
import { contentPaths } from "../../src/engine/content/paths.js";
import { ROUND_IDS } from "../../src/engine/content/schema.js";

const { roundsDir } = contentPaths();
const rounds = loadRounds(roundsDir);
const bank = new QuestionBank(rounds);

const SEED_IDS = {
  "hiring-manager": ["hm-past-experience", "hm-why-leave", "hm-five-years"],
  coding: ["two-sum-zero", "word-count-mapreduce"],
  "ir-ranking": ["ir-past-nlp-project", "ir-sparse-dense-features", "ir-crf-lstm"],
  "ml-system-design": ["mlsd-grocery-search-ranking"],
  "ml-modeling": ["mm-customer-ltv", "mm-churn", "mm-evaluation-auc"],
  behavioral: ["bh-favorite-project", "bh-do-differently", "bh-best-solution"],
} as const;

describe("round content", () => {
  it("has the seed's six rounds, in loop order", () => {
    expect(rounds.map((r) => r.id).sort()).toEqual([...ROUND_IDS].sort());
    expect(rounds[0]!.id).toBe("hiring-manager");
  });

  it("contains every question reported in the seed, in its round", () => {
    for (const [roundId, ids] of Object.entries(SEED_IDS)) {
      for (const id of ids) expect(bank.find(id)?.round.id, id).toBe(roundId);
    }
  });

  it("tags exactly the seed's questions `seed` (the mock loop replays them first)", () => {
    const tagged = rounds.flatMap((r) => r.questions.filter((q) => q.tags.includes("seed")).map((q) => q.id));
    expect(tagged.sort()).toEqual(Object.values(SEED_IDS).flat().sort());
  });

  it("keeps the seed's probes as the search-ranking question's follow-ups", () => {
    const { question } = bank.get("mlsd-grocery-search-ranking");
    expect(question.followUps.join(" ")).toContain("simple metric");
    expect(question.followUps.join(" ")).toContain("improve the ranking over time");
  });

  it("gives every non-coding round at least 10 questions, each with key points, reference answer, probes and hints", () => {
    for (const round of rounds.filter((r) => r.id !== "coding")) {
      expect(round.questions.length, round.id).toBeGreaterThanOrEqual(10);
    }
  });

  it("resolves the short aliases used in /interview ask", () => {
    for (const [alias, id] of [["hm", "hiring-manager"], ["coding", "coding"], ["ir", "ir-ranking"], ["mlsd", "ml-system-design"], ["modeling", "ml-modeling"], ["behavioral", "behavioral"]]) {
      expect(bank.findRound(alias!)?.id).toBe(id);
    }
  });

  it("ships a JSON Schema for editors that matches the zod schema", () => {
    const shipped = JSON.parse(readFileSync(join(roundsDir, "round.schema.json"), "utf8"));
    expect(shipped).toEqual(roundJsonSchema());
  });

  it("reports every problem with its file and path", () => {
    const dir = mkdtempSync(join(tmpdir(), "rounds-"));
    for (const f of readdirSync(roundsDir).filter((f) => f.endsWith(".yaml"))) copyFileSync(join(roundsDir, f), join(dir, f));
    const broken = readFileSync(join(dir, "behavioral.yaml"), "utf8")
      .replace(/\n {4}difficulty: (easy|medium|hard)/, "\n    difficulty: impossible")
      .replace(/dimension: ([a-z-]+)/, "dimension: no-such-dimension");
    writeFileSync(join(dir, "behavioral.yaml"), broken);
    let error: unknown;
    try {
      loadRounds(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ContentError);
    const issues = (error as ContentError).issues;
    expect(issues.some((i) => i.file.endsWith("behavioral.yaml") && /^questions\[\d+\]\.difficulty$/.test(i.path))).toBe(true);
  });
});
