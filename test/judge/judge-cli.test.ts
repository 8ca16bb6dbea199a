/** `npm run cli -- judge …`: output and exit codes, on fixture questions and on the real bank. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runJudgeCommand } from "../../src/cli/judge-command.js";
import { createJudge, type Judge } from "../../src/engine/judge/index.js";
import { ADD_JS, ADD_PY, fixtureBank } from "./judge-fixtures.js";

const bank = fixtureBank();
let judge: Judge;
let dir = "";

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function cli(argv: string[], withFixtures = true) {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
  const code = await runJudgeCommand(argv, withFixtures ? { ...io, bank, judge } : io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "judge-cli-"));
  judge = await createJudge({ bank });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("judge command", () => {
  it("prints the verdict, counts and per-test results as JSON and exits 0 when accepted", async () => {
    const { code, out } = await cli(["fixture-add", "--lang", "python", "--file", file("add.py", ADD_PY), "--json"]);
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result).toMatchObject({ verdict: "accepted", passed: 11, total: 11 });
    expect(result.tests).toHaveLength(11);
    expect(result.tests[0]).toMatchObject({ name: "small numbers", hidden: false, passed: true });
  });

  it("prints a readable report without --json", async () => {
    const { code, out } = await cli(["fixture-add", "--lang=javascript", "--file", file("add.js", ADD_JS)]);
    expect(code).toBe(0);
    expect(out).toMatch(/ACCEPTED — 11\/11 tests passed/);
    expect(out).toMatch(/✓ small numbers/);
  });

  it("exits 1 when the code is judged and not accepted, showing the failing example", async () => {
    const { code, out } = await cli(["fixture-add", "--lang", "python", "--file", file("wrong.py", "def add(a, b):\n    return a * b\n")]);
    expect(code).toBe(1);
    expect(out).toMatch(/WRONG ANSWER/);
    expect(out).toMatch(/expected: 3/);
    expect(out).toMatch(/got: {6}2/);
  });

  it("judges an oversized source as rejected (exit 1)", async () => {
    const big = file("big.py", `${"#".repeat(70 * 1024)}\n${ADD_PY}`);
    const { code, out } = await cli(["fixture-add", "--lang", "python", "--file", big, "--json"]);
    expect(code).toBe(1);
    expect(JSON.parse(out).verdict).toBe("rejected");
  });

  it("exits 2 for an unknown question, an unknown language, a missing file or missing options", async () => {
    const ok = file("ok.py", ADD_PY);
    const invalid = [
      ["no-such-question", "--lang", "python", "--file", ok],
      ["fixture-add", "--lang", "ruby", "--file", ok],
      ["fixture-add", "--lang", "python", "--file", join(dir, "missing.py")],
      ["fixture-add", "--lang", "python"],
      ["fixture-talk", "--lang", "python", "--file", ok],
      ["--lang", "python", "--file", ok],
    ];
    for (const argv of invalid) {
      const { code, err, out } = await cli(argv);
      expect(code, argv.join(" ")).toBe(2);
      expect(err).toMatch(/judge: /);
      expect(out).toBe("");
    }
  });

  it("judges the seed two-sum from the content bank", async () => {
    const source = "def zero_sum_pairs(nums):\n    seen, out = set(), set()\n    for v in nums:\n        if -v in seen:\n            out.add((min(v, -v), max(v, -v)))\n        seen.add(v)\n    return [list(p) for p in out]\n";
    const { code, out } = await cli(["two-sum-zero", "--lang", "python", "--file", file("two_sum.py", source), "--json"], false);
    expect(JSON.parse(out).verdict).toBe("accepted");
    expect(code).toBe(0);
  });
});
