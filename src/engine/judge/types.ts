import type { Language } from "../content/schema.js";

export type { Language };

export const VERDICTS = [
  "accepted",
  "wrong_answer",
  "time_limit_exceeded",
  "memory_limit_exceeded",
  "output_limit_exceeded",
  "runtime_error",
  "compile_error",
  "rejected",
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** One test as the candidate sees it: hidden tests show only their name. */
export interface TestResult {
  name: string;
  /** Examples from the statement are visible; the judge's own tests are hidden. */
  hidden: boolean;
  passed: boolean;
  /** Time the harness measured inside the call (display only; the verdict uses the judge's wall clock). */
  timeMs?: number;
  /** Why this test failed, trimmed; for hidden tests never the input or the expected value. */
  error?: string;
}

/** The first failing test. Input, expected and got are filled in only for a visible example. */
export interface FailureDetail {
  name: string;
  hidden: boolean;
  input?: unknown[];
  expected?: unknown;
  got?: unknown;
  message?: string;
}

export interface JudgeResult {
  questionId: string;
  /** As requested: a Language, except in a rejection for an unsupported one. */
  language: string;
  verdict: Verdict;
  passed: number;
  total: number;
  tests: TestResult[];
  failure?: FailureDetail;
  /** Compile error, trimmed traceback, or the reason for a rejection; paths inside the sandbox removed. */
  message?: string;
  limits: { timeMs: number; memoryMb: number };
  /** Wall-clock time from the moment the inputs were parsed (loading the code included) to the last result. */
  wallMs?: number;
  /** CPU time of the same span: what the time limit counts (the wall clock is a backstop). */
  cpuMs?: number;
  /** False only when the operator explicitly allowed unsandboxed execution. */
  sandboxed: boolean;
}

/** How code runs: in bubblewrap, or directly (the explicitly allowed fallback, and the bench baseline). */
export type Isolation = "bwrap" | "none";
