/**
 * The practice console through a real pseudo-terminal (python3's pty module), typed as a person
 * would: a command acts on one Enter, a multi-paragraph answer is graded whole at `/done`, Ctrl-D
 * submits an answer without ending the session, and a wait shows a working line.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/run.js";

type Step = { send: string } | { expect: string; timeout?: number } | { quiet: number };

function typeInto(args: string[], steps: Step[]): { ok: boolean; failed: Step | null; output: string } {
  const dataDir = mkdtempSync(join(tmpdir(), "pty-"));
  const run = spawnSync("python3", [resolve(ROOT, "test/support/pty-session.py"), process.execPath, "--import", "tsx", "src/console/main.ts", ...args], {
    cwd: ROOT,
    input: JSON.stringify(steps),
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", DATA_DIR: dataDir, NODE_ENV: "test", TERM: "xterm", COLUMNS: "100" },
    encoding: "utf8",
    timeout: 170_000,
  });
  if (run.status !== 0) throw new Error(`pty helper failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const hasPython = spawnSync("python3", ["-c", "import pty"]).status === 0;
/** Strips colours and cursor movement so patterns match what the person reads. */
const plain = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "");

describe.skipIf(!hasPython)("the practice console in a terminal", () => {
  it("acts on `hint` at one Enter, grades a multi-paragraph answer whole, and submits with Ctrl-D without quitting", () => {
    const result = typeInto(
      ["--round", "mlsd"],
      [
        { expect: "type /done on a line of its own", timeout: 60 },
        { send: "hint\r" },
        { expect: "Hint 1/\\d", timeout: 20 },
        { send: "Offline I would measure NDCG@10 on logged sessions.\r" },
        { send: "\r" },
        { send: "Second paragraph: an A/B test on add-to-cart rate, with p99 latency under 100 ms as a guardrail.\r" },
        { quiet: 1 },
        { send: "/done\r" },
        { expect: "Grading your answer", timeout: 20 },
        { expect: "Key-point coverage \\d\\.\\d\\d / 4", timeout: 60 },
        { expect: "Answer the follow-up", timeout: 20 },
        { quiet: 1.5 },
        { send: "Through a holdout: compare orders per customer with and without the row.\r" },
        { send: "\x04" },
        { expect: "Key-point coverage \\d\\.\\d\\d / 4", timeout: 60 },
        { send: "quit\r" },
        { expect: "Bye", timeout: 20 },
      ],
    );
    const output = plain(result.output);
    expect(result.failed, output.slice(-3000)).toBeNull();
    // Nothing was graded between the two paragraphs: the first critique comes after /done, with both in it.
    const beforeDone = output.slice(0, output.indexOf("Grading your answer"));
    expect(beforeDone).not.toMatch(/Key-point coverage \d/);
    expect(output.match(/Key-point coverage \d\.\d\d \/ 4/g)).toHaveLength(2);
    expect(output).not.toContain("**");
  }, 180_000);

  it("prints --help and refuses a bad flag in one line before any banner", () => {
    const help = typeInto(["--help"], [{ expect: "Usage: npm run practice", timeout: 60 }]);
    expect(help.ok).toBe(true);
    const bad = typeInto(["--rounds", "mlsd"], [{ expect: "practice: .*--rounds", timeout: 60 }, { quiet: 0.5 }]);
    expect(bad.ok).toBe(true);
    expect(plain(bad.output)).not.toContain("Interview practice");
    expect(plain(bad.output).trim().split("\n")).toHaveLength(1);
  }, 180_000);
});
