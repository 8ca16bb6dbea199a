import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { runPracticeConsole } from "../../src/console/practice.js";
import { bank } from "../loop/support.js";

async function practise(round: string, lines: string[]): Promise<string> {
  const output = new PassThrough();
  let text = "";
  output.on("data", (d: Buffer) => (text += d.toString()));
  const config = loadConfig({ NODE_ENV: "test", DATA_DIR: mkdtempSync(join(tmpdir(), "practice-")) });
  await runPracticeConsole({ config, round, input: Readable.from(lines.map((l) => `${l}\n`)), output, onUsageError: (m) => (text += `USAGE ERROR: ${m}`) });
  return text;
}

describe("npm run practice (console)", () => {
  it("asks a question of the round, grades a multi-paragraph answer whole at /done, then asks the follow-up", async () => {
    const out = await practise("mlsd", [
      "I'd frame it as learning to rank with LambdaMART over BM25 and embedding candidates.",
      "",
      "Offline NDCG@10 on clicks, online add-to-cart rate in an A/B test.",
      "/done",
      "quit",
    ]);
    // One critique for both paragraphs: the second is evidence in it, not a separate follow-up answer.
    expect(out.match(/Key-point coverage \d\.\d\d \/ 4/g)).toHaveLength(1);
    expect(out).toContain("NDCG@10");
    expect(out).toContain("Grading your answer…");
    expect(out).toContain("System Design");
    expect(out).toMatch(/Key-point coverage \d\.\d\d \/ 4 \(no hire signal\)/);
    expect(out).not.toMatch(/Strong hire|No hire\b/);
    expect(out).toContain("offline rubric check");
    expect(out).toContain("Follow-up:");
    expect(out).toContain("Bye");
  });

  it("gives hints and unlocks the model answer only after an answer; ends cleanly at end of input", async () => {
    const out = await practise("behavioral", ["hint", "model", "I led a churn project and cut churn by 4%.", "/done", "model"]);
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
      "/done",
      "quit",
    ]);
    expect(out).toMatch(/Running your Python code against \d+ tests/);
    expect(out).toMatch(/Accepted — every test passed · (\d+)\/\1 tests passed \(python\)/);
  });

  it("explains an unknown round with an example", async () => {
    const out = await practise("cooking", []);
    expect(out).toMatch(/^USAGE ERROR: Unknown round "cooking"/);
    expect(out).toContain("mlsd ");
    expect(out).not.toContain("Interview practice");
  });
});

describe("model answers in the console", () => {
  it("renders the reference answer's Markdown for the terminal instead of printing ** and fences", async () => {
    const out = await practise("ir-past-nlp-project", ["I led query attribute extraction with weak supervision and a BiLSTM-CRF.", "/done", "model"]);
    const model = out.slice(out.indexOf("Model answer:"));
    expect(model).toContain("Problem.");
    expect(model).not.toContain("**");
  });

  it("shows a coding question's model solution in the language the candidate answered in", async () => {
    const solution = bank.get("two-sum-zero").question.coding!.reference;
    const js = await practise("two-sum-zero", ["```js", ...solution.javascript.split("\n"), "```", "/done", "model"]);
    const jsModel = js.slice(js.indexOf("Model answer:"));
    expect(jsModel).toContain(solution.javascript.split("\n").find((l) => l.includes("function"))!.trim());
    expect(jsModel).not.toMatch(/^\s*def /m);
    const py = await practise("two-sum-zero", ["```python", ...solution.python.split("\n"), "```", "/done", "model"]);
    expect(py.slice(py.indexOf("Model answer:"))).toMatch(/^\s*def /m);
  }, 60_000);
});
