/** One submission against prepared tests: run it (executor.ts), then decide the verdict (verdict.ts). */
import type { Question } from "../content/schema.js";
import { JudgeInternalError } from "./errors.js";
import { executeRun, type ExecutorConfig } from "./executor.js";
import type { Interpreter } from "./interpreters.js";
import type { PreparedProblem } from "./materialize.js";
import type { JudgeResult, Language } from "./types.js";
import { decideVerdict } from "./verdict.js";

export interface JudgeJob {
  question: Question;
  language: Language;
  source: string;
  executor: ExecutorConfig;
  sandboxed: boolean;
}

export async function runJudgement(problem: PreparedProblem, interpreter: Interpreter, job: JudgeJob): Promise<JudgeResult> {
  const spec = problem.spec;
  const { outcome, cleanPaths } = await executeRun(job.executor, {
    interpreter,
    kind: spec.harness,
    entry: spec.entry[job.language],
    source: job.source,
    payload: problem.payload,
    testCount: problem.tests.length,
    timeMs: spec.limits.timeMs,
    memoryMb: spec.limits.memoryMb,
  });
  if (outcome.end === "spawn_failed") throw new JudgeInternalError(`could not start the ${job.language} run: ${outcome.spawnError}`);
  return decideVerdict({ problem, language: job.language, outcome, sandboxed: job.sandboxed, cleanPaths });
}
