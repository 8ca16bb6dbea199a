import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { runPracticeConsole } from "../../src/console/practice.js";

async function practise(round: string, lines: string[]): Promise<string> {
  const output = new PassThrough();
  let text = "";
  output.on("data", (d: Buffer) => (text += d.toString()));
  const config = loadConfig({ NODE_ENV: "test", DATA_DIR: mkdtempSync(join(tmpdir(), "practice-")) });
  await runPracticeConsole({ config, round, input: Readable.from(lines.map((l) => `${l}\n`)), output });
  return text;
}

describe("npm run practice (console)", () => {
  it("asks a question of the round, grades a multi-line answer, then asks the follow-up", async () => {
    const out = await practise("mlsd", [
      "I'd frame it as learning to rank with LambdaMART over BM25 and embedding candidates.",
      "Offline NDCG@10 on clicks, online add-to-cart rate in an A/B test.",
      "",
      "quit",
    ]);
    expect(out).toContain("System Design");
    expect(out).toMatch(/Key-point coverage \d\.\d\d \/ 4 \(no hire signal\)/);
    expect(out).not.toMatch(/Strong hire|No hire\b/);
    expect(out).toContain("offline rubric check");
    expect(out).toContain("Follow-up:");
    expect(out).toContain("Bye");
  });

  it("gives hints and unlocks the model answer only after an answer; ends cleanly at end of input", async () => {
    const out = await practise("behavioral", ["hint", "", "model", "", "I led a churn project and cut churn by 4%.", "", "model", ""]);
    expect(out).toContain("Hint 1/");
    expect(out).toContain("Answer first");
    expect(out).toContain("Model answer:");
    expect(out).toContain("Bye");
  });

  it("runs code for a coding question in the sandbox", async () => {
    const out = await practise("two-sum-zero", [
      "```python",
      "def zero_sum_pairs(nums):",
      "    seen, pairs, zeros = set(), set(), 0",
      "    for v in nums:",
      "        if v == 0:",
      "            zeros += 1",
      "        elif -v in seen:",
      "            pairs.add((min(v, -v), max(v, -v)))",
      "        seen.add(v)",
      "",
      "    return [list(p) for p in pairs] + ([[0, 0]] if zeros >= 2 else [])",
      "```",
      "",
      "",
      "quit",
    ]);
    expect(out).toMatch(/Code \(python\): accepted — (\d+)\/\1 tests passed/);
  });

  it("explains an unknown round with an example", async () => {
    const out = await practise("cooking", []);
    expect(out).toContain('Unknown round "cooking"');
    expect(out).toContain("--round mlsd");
    process.exitCode = 0;
  });
});
