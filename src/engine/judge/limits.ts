import type { Language } from "./types.js";

/** Judge-wide limits; the per-problem time and memory budgets come from the question's spec. */
export interface JudgeLimits {
  /** Larger sources are judged `rejected` without running. */
  maxSourceBytes: number;
  /** Budget for starting the interpreter and loading the candidate's code, before the tests' clock starts. */
  startupMs: number;
  /** stdout + stderr of the candidate; past this the run stops with output_limit_exceeded. */
  maxOutputBytes: number;
  /** Result frames in total (return values); past this the run stops with output_limit_exceeded. */
  maxResultBytes: number;
  /** One result frame (one test's return value as JSON); past this: runtime error, result too large. */
  maxFrameBytes: number;
  /** Nesting of a return value; deeper is refused before parsing: runtime error, result too deep. */
  maxResultDepth: number;
  /** Largest file the candidate may write (RLIMIT_FSIZE). */
  maxFileBytes: number;
  /** Size of the private tmpfs that is the sandbox's /tmp and working directory. */
  tmpfsBytes: number;
  /** After the last result, how long the harness may take to exit before it is killed (not an error). */
  exitGraceMs: number;
  /**
   * The time limit counts CPU time; the wall clock stops a run at this multiple of the limit (code that
   * sleeps or waits, or a machine so loaded the run barely gets a core).
   */
  wallFactor: number;
}

export const DEFAULT_LIMITS: JudgeLimits = {
  maxSourceBytes: 64 * 1024,
  startupMs: 4_000,
  maxOutputBytes: 1024 * 1024,
  // The largest expected value in the bank is ~0.5 MB; a 4 MB frame parses in ~30 ms on the event loop.
  maxResultBytes: 16 * 1024 * 1024,
  maxFrameBytes: 4 * 1024 * 1024,
  maxResultDepth: 100,
  maxFileBytes: 4 * 1024 * 1024,
  tmpfsBytes: 16 * 1024 * 1024,
  exitGraceMs: 1_000,
  wallFactor: 3,
};

/** rlimits applied inside the sandbox, just before the interpreter starts. */
export interface ProcessLimits {
  cpuSeconds: number;
  addressSpaceBytes: number;
  fileBytes: number;
  openFiles: number;
  /** Counted per user namespace, i.e. per sandbox; includes threads (V8 runs a few). */
  processes: number;
}

const MB = 1024 * 1024;

/**
 * Counted per sandbox, threads included, and the sandbox's init (bwrap) is one of them. Python needs
 * one process: it may not fork at all. Node runs 5 threads (main + 2 V8 workers + helpers; measured
 * with --v8-pool-size=2) and gets one spare. Every extra process would be a CPU hog competing with
 * the other runs for the same cores, so a fork bomb stays a single spinning process.
 */
const PYTHON_PROCESSES = 2;
const NODE_PROCESSES = 7;

/**
 * Python runs in the problem's address-space budget as is (the interpreter needs ~16 MB of it).
 * V8 reserves ~0.7 GB of virtual memory up front, so JavaScript gets the budget as V8 heap
 * (--max-old-space-size) and an address-space limit of 1 GB + twice the budget, measured to let
 * the heap grow to its limit while still catching buffers allocated outside the heap.
 */
export function processLimits(language: Language, timeMs: number, memoryMb: number, limits: JudgeLimits): ProcessLimits {
  const wallSeconds = (limits.startupMs + timeMs) / 1000;
  return {
    cpuSeconds: Math.ceil(wallSeconds) + 1,
    addressSpaceBytes: language === "python" ? memoryMb * MB : (1024 + 2 * memoryMb) * MB,
    fileBytes: limits.maxFileBytes,
    openFiles: 64,
    processes: language === "python" ? PYTHON_PROCESSES : NODE_PROCESSES,
  };
}
