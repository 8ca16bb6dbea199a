/**
 * `interview-coach` from the shell: what scripts rely on. Bad input files are refused with exit 2 and
 * a message in words (nothing on stdout); `--lang` takes the names people type; a compile error is
 * reported once, first; `--json` through the bin is JSON and nothing else.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runScript, type RunResult } from "../support/run.js";

const dir = mkdtempSync(join(tmpdir(), "cli-input-"));
const env = { DATA_DIR: join(dir, "data") };
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const cli = (args: string[]) => runScript("src/cli/main.ts", args, { env, timeoutMs: 60_000 });

const BAD_FILES: [string, () => string, RegExp][] = [
  ["an empty file", () => file("empty.txt", ""), /is empty/],
  ["a whitespace-only file", () => file("blank.txt", " \n\t\n  \n"), /only whitespace/],
  ["a binary file", () => file("binary.bin", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02, 0x00, 0x41])), /binary/],
  ["a file that is not UTF-8", () => file("latin1.txt", Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff, 0xfe])), /not UTF-8/],
  ["a missing file", () => join(dir, "absent.txt"), /no such file/],
  ["a directory", () => (mkdirSync(join(dir, "folder"), { recursive: true }), join(dir, "folder")), /is a directory/],
];

describe("interview-coach grade and judge refuse unusable input files", () => {
  it.each(BAD_FILES)("%s: exit 2, a message in words, nothing on stdout", async (_what, make, message) => {
    const path = make();
    for (const args of [
      ["grade", "--question", "mlsd-grocery-search-ranking", "--file", path, "--json"],
      ["judge", "two-sum-zero", "--lang", "py", "--file", path, "--json"],
    ]) {
      const run = await cli(args);
      expect(run.code, `${args[0]}: ${run.stderr}`).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/ENOENT|EISDIR|\x00/);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
    }
  }, 120_000);
});

describe("interview-coach judge", () => {
  it("accepts --lang py and js, and names the languages it takes when given another", async () => {
    const js = file("solution.js", "function zeroSumPairs(nums) {\n  return [];\n}\n");
    const ran = await cli(["judge", "two-sum-zero", "--lang", "js", "--file", js, "--json"]);
    expect([0, 1]).toContain(ran.code);
    expect(JSON.parse(ran.stdout).language).toBe("javascript");
    const bad = await cli(["judge", "two-sum-zero", "--lang", "ruby", "--file", js]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/python, py, javascript or js/);
  }, 120_000);

  it("reports a compile error once, first, without a list of tests that never ran", async () => {
    const broken = file("broken.py", "def zero_sum_pairs(nums:\n    return []\n");
    const run = await cli(["judge", "two-sum-zero", "--lang", "python", "--file", broken]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/COMPILE ERROR/);
    expect(run.stdout).not.toMatch(/not run/i);
    expect(run.stdout).not.toMatch(/✗/);
    expect(run.stdout.match(/SyntaxError/g) ?? []).toHaveLength(1);
  }, 120_000);
});

describe("interview-coach help and usage", () => {
  it("prints help for the CLI and each command with exit 0; an unknown command or flag is one line and exit 2", async () => {
    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["grade", "judge", "questions", "validate"]) expect(help.stdout).toContain(`interview-coach ${command}`);
    const gradeHelp = await cli(["grade", "--help"]);
    expect(gradeHelp.code).toBe(0);
    expect(gradeHelp.stdout).toContain("--question");
    const unknown = await cli(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split("\n")).toHaveLength(1);
    for (const command of ["grade", "judge"]) {
      const badFlag = await cli([command, "--bogus"]);
      expect(badFlag.code).toBe(2);
      expect(badFlag.stdout).toBe("");
      expect(badFlag.stderr).toContain("--bogus");
      expect(badFlag.stderr.trim().split("\n")).toHaveLength(1);
    }
  }, 120_000);
});

/** Runs the installed command as `npx interview-coach` would (node + the bin file). */
function runBin(args: string[]): Promise<RunResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve(ROOT, "bin/interview-coach.js"), ...args], { cwd: dir, env: { PATH: process.env.PATH ?? "", HOME: dir, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

describe.skipIf(!existsSync(resolve(ROOT, "dist/cli/main.js")))("the interview-coach bin (compiled by npm install)", () => {
  it("prints only JSON on stdout for --json, from any directory", async () => {
    const answer = file("answer.txt", "I would rank with LambdaMART over BM25 candidates, measure NDCG@10 offline and add-to-cart rate in an A/B test.");
    const run = await runBin(["grade", "--question", "mlsd-grocery-search-ranking", "--file", answer, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
    expect(JSON.parse(run.stdout).question).toBe("mlsd-grocery-search-ranking");
  }, 60_000);
});
