import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { runLoopConsole } from "../../src/console/loop.js";
import { loadConfig } from "../../src/config.js";
import { bank } from "./support.js";

async function session(dataDir: string, input: string[], withHm = false): Promise<string> {
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on("data", (c: Buffer) => chunks.push(c.toString("utf8")));
  const config = loadConfig({ NODE_ENV: "test", DATA_DIR: dataDir });
  await runLoopConsole({ config, withHm, input: Readable.from(input.map((l) => `${l}\n`)), output, userId: "console-tester" });
  return chunks.join("");
}

describe("the mock loop in the practice console", () => {
  it("runs the loop in the terminal, saves it on quit, resumes it and ends with a debrief", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "loop-console-"));
    const solution = bank.get("two-sum-zero").question.coding!.reference.python;
    const first = await session(dataDir, ["hint", "```python", ...solution.split("\n"), "```", "/done", "quit"]);
    expect(first).toContain("Round 1 of 5: Coding and Algorithms");
    expect(first).toContain("Hint 1/3");
    expect(first).toMatch(/Accepted — every test passed · (\d+)\/\1 tests passed \(python\)/);
    // The interviewer's brief for the round is not the candidate's to read.
    expect(first).not.toContain(bank.round("coding").probes);
    expect(first).not.toContain("Probes:");
    expect(first).toContain("Follow-up:");
    expect(first).toContain("saved");

    const second = await session(dataDir, Array.from({ length: 12 }, () => "skip"));
    expect(second).toContain("Resuming your mock onsite");
    expect(second).toContain("Round 5 of 5");
    // Between rounds: the finished round's score and what to practise.
    expect(second).toMatch(/── Coding and Algorithms round done: key-point coverage \d\.\d\d\/4/);
    expect(second).toContain("Practise:");
    expect(second).toContain("Mock onsite debrief");
    // Graded offline: the debrief shows coverage and makes no hire recommendation.
    expect(second).toContain("Recommendation: No recommendation (offline coverage check)");
    expect(second).toMatch(/coverage \d\.\d\d\/4 \(offline check, no hire signal\)/);
    expect(second).toContain("1 hint on two-sum-zero");
    expect(second).toContain("Practise next:");

    // The next run starts a new loop.
    const third = await session(dataDir, ["end"], true);
    expect(third).toContain(`A new mock onsite: ${bank.round("hiring-manager").title} →`);
    expect(third).toContain("ended before any answer");
  }, 120_000);
});
