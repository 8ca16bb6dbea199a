import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScript } from "../support/run.js";

const dir = mkdtempSync(join(tmpdir(), "cli-"));
const env = { DATA_DIR: join(dir, "data") };

describe("npm run cli -- grade", () => {
  it("prints the offline critique as JSON when no LLM is configured", async () => {
    const file = join(dir, "answer.txt");
    writeFileSync(file, "I would rank with LambdaMART over BM25 and embedding candidates, measure NDCG@10 offline and add-to-cart rate in an A/B test.");
    const { code, stdout } = await runScript("src/cli/main.ts", ["grade", "--question", "mlsd-grocery-search-ranking", "--file", file, "--json"], { env });
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ question: "mlsd-grocery-search-ranking", round: "ml-system-design", grader: "offline" });
    expect(result.overall).toBeGreaterThanOrEqual(1);
    expect(result.overall).toBeLessThanOrEqual(4);
    // The offline check is a coverage check: no hire signal, and the number says it is coverage.
    expect(result.signal).toBeNull();
    expect(result.overallKind).toBe("coverage");
    expect(result.corrections).toEqual([]);
    expect(result.dimensions.length).toBeGreaterThanOrEqual(4);
    expect(result.dimensions[0]).toEqual(expect.objectContaining({ id: expect.any(String), score: expect.any(Number), evidence: expect.any(Array) }));
  }, 120_000);

  it("exits 2 for an unknown question or a missing file", async () => {
    const unknown = await runScript("src/cli/main.ts", ["grade", "--question", "nope", "--file", "x.txt", "--json"], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown question");
    const missing = await runScript("src/cli/main.ts", ["grade", "--question", "hm-why-leave", "--file", join(dir, "absent.txt")], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("absent.txt");
    expect(missing.stderr).toContain("no such file");
  }, 120_000);
});
