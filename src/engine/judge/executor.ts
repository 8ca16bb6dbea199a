/** Runs one submission's harness under the chosen isolation and cleans up after it. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Interpreter } from "./interpreters.js";
import { processLimits, type JudgeLimits } from "./limits.js";
import { newNonce, type HarnessKind } from "./protocol.js";
import { runHarness, type RunOutcome } from "./run-harness.js";
import { bwrapLaunch, directLaunch, sandboxSeccomp, type BwrapFeatures } from "./sandbox.js";
import type { Isolation } from "./types.js";

export interface ExecutorConfig {
  isolation: Isolation;
  bwrapPath: string;
  /** Required for `bwrap`. */
  features?: BwrapFeatures;
  limits: JudgeLimits;
}

export interface RunSpec {
  interpreter: Interpreter;
  kind: HarnessKind;
  entry: string[];
  source: string;
  payload: string;
  testCount: number;
  timeMs: number;
  memoryMb: number;
}

export interface ExecutedRun {
  outcome: RunOutcome;
  /** Host paths the candidate could have seen (unsandboxed mode), to scrub from messages. */
  cleanPaths: string[];
}

export async function executeRun(config: ExecutorConfig, spec: RunSpec): Promise<ExecutedRun> {
  const limits = processLimits(spec.interpreter.language, spec.timeMs, spec.memoryMb, config.limits);
  const header = { nonce: newNonce(), kind: spec.kind, entry: spec.entry, source: spec.source };
  const common = { header, payload: spec.payload, testCount: spec.testCount, timeMs: spec.timeMs, limits: config.limits };
  if (config.isolation === "bwrap") {
    if (!config.features) throw new Error("bwrap features not detected");
    const launch = bwrapLaunch(spec.interpreter, spec.memoryMb, limits, {
      bwrapPath: config.bwrapPath,
      features: config.features,
      seccomp: sandboxSeccomp(),
      tmpfsBytes: config.limits.tmpfsBytes,
      runningAsRoot: process.getuid?.() === 0,
    });
    const outcome = await runHarness({ ...common, launch, cwd: "/" });
    return { outcome, cleanPaths: [] };
  }
  const workDir = mkdtempSync(join(tmpdir(), "judge-unsandboxed-"));
  try {
    const launch = directLaunch(spec.interpreter, spec.memoryMb, limits, workDir);
    const outcome = await runHarness({ ...common, launch, cwd: workDir });
    return { outcome, cleanPaths: [workDir, spec.interpreter.harnessFile] };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
