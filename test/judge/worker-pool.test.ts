/**
 * The judge's worker thread: verdicts come back from it, and when it stops mid-run (crash, shutdown)
 * the run is redone on the main thread rather than lost.
 */
import { describe, expect, it } from "vitest";
import type { ExecutorConfig } from "../../src/engine/judge/executor.js";
import { pythonInterpreter } from "../../src/engine/judge/interpreters.js";
import { runJudgement, type JudgeJob } from "../../src/engine/judge/judge-run.js";
import { DEFAULT_LIMITS } from "../../src/engine/judge/limits.js";
import { ProblemCache } from "../../src/engine/judge/problem-cache.js";
import { selfTestSandbox } from "../../src/engine/judge/self-test.js";
import { JudgeWorkerPool } from "../../src/engine/judge/worker-pool.js";
import { readFileSync } from "node:fs";
import { ADD_PY, addQuestion } from "./judge-fixtures.js";
import { descendantsOf } from "./judge-host.js";

describe("the judge worker pool", { timeout: 60_000 }, () => {
  it("returns the worker's verdict, and redoes a run on this thread when the worker stops mid-run", async () => {
    const selfTest = await selfTestSandbox();
    if (!selfTest.ok) throw new Error(selfTest.reason);
    const executor: ExecutorConfig = { isolation: "bwrap", bwrapPath: "/usr/bin/bwrap", features: selfTest.features, limits: DEFAULT_LIMITS };
    const interpreter = pythonInterpreter();
    const problems = new ProblemCache();
    let localRuns = 0;
    const logs: string[] = [];
    const pool = new JudgeWorkerPool(
      {
        prepare: async (question) => void (await problems.get(question)),
        judge: async (job) => {
          localRuns++;
          return runJudgement(await problems.get(job.question), interpreter, job);
        },
      },
      (line) => logs.push(line),
    );
    const job = (source: string): JudgeJob => ({ question: addQuestion, language: "python", source, executor, sandboxed: true });

    const inWorker = await pool.judge(job(ADD_PY), interpreter.path);
    expect(inWorker.verdict).toBe("accepted");
    expect(localRuns).toBe(0);

    // Slow enough to be in flight when the worker goes away.
    const slow = pool.judge(job("import time\ndef add(a, b):\n    time.sleep(0.05)\n    return a + b\n"), interpreter.path);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await pool.close();
    expect((await slow).verdict).toBe("accepted");
    expect(localRuns).toBe(1);
    // The sandbox the stopped worker had started died with it (bwrap's die-with-parent follows the thread).
    const sandboxes = descendantsOf(process.pid).filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("/judge/harness");
      } catch {
        return false;
      }
    });
    expect(sandboxes).toEqual([]);
  });
});
