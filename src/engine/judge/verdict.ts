/**
 * From what the run did (run-harness.ts) to what the candidate is told. The first test that did not
 * pass, in order (examples first), decides the verdict, so the user fixes one thing at a time.
 */
import { compareResult } from "./compare.js";
import type { PreparedProblem } from "./materialize.js";
import type { HarnessError } from "./protocol.js";
import type { RunOutcome } from "./run-harness.js";
import { cleanTrace, preview } from "./sanitize.js";
import type { FailureDetail, JudgeResult, Language, TestResult, Verdict } from "./types.js";

/**
 * What the interpreters themselves print when they die of memory exhaustion (V8's fatal OOM handler on
 * Node 20/22/24, CPython's fatal error path, and the C++ runtime's terminate handler for a failed
 * allocation — which, when memory is that short, can itself fail while naming the exception and print
 * "terminate called recursively" instead of `std::bad_alloc`). Believed only together with a death by
 * signal: the text alone is the candidate's stderr and could be printed by anyone.
 */
const INTERPRETER_OOM =
  /JavaScript heap out of memory|Fatal process out of memory|Fatal JavaScript invalid size error|Fatal Python error: .*(?:memory|MemoryError)|std::bad_alloc|terminate called after throwing an instance of 'terminate called recursively/;

/** The signals an interpreter dies of when an allocation fails (abort, V8's trap/illegal instruction, segv). */
const CRASH_SIGNALS = new Set<NodeJS.Signals>(["SIGABRT", "SIGTRAP", "SIGILL", "SIGSEGV", "SIGBUS"]);
const SIGNAL_NUMBERS: Partial<Record<number, NodeJS.Signals>> = { 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 9: "SIGKILL", 11: "SIGSEGV" };

/**
 * The signal that ended the interpreter. Unsandboxed it is the process's own; in the sandbox bwrap's
 * init reports a child killed by signal N as exit status 128+N, as shells do.
 */
function deathSignal(outcome: RunOutcome, sandboxed: boolean): NodeJS.Signals | null {
  if (outcome.signal) return outcome.signal;
  if (sandboxed && outcome.exitCode !== null && outcome.exitCode > 128) return SIGNAL_NUMBERS[outcome.exitCode - 128] ?? null;
  return null;
}

const errorVerdict: Record<HarnessError["kind"], Verdict> = {
  exception: "runtime_error",
  memory: "memory_limit_exceeded",
  output: "output_limit_exceeded",
  unsupported: "wrong_answer",
};

interface Failure {
  verdict: Verdict;
  /** For the test list: short, never the hidden input or expected value. */
  error: string;
  message?: string;
  got?: unknown;
  hasGot?: boolean;
}

/** Why a run that stopped without reporting every test stopped, in the candidate's terms. */
function stoppedEarly(outcome: RunOutcome, timeMs: number, memoryMb: number, sandboxed: boolean, cleanPaths: readonly string[]): Failure {
  const secs = (timeMs / 1000).toFixed(1);
  switch (outcome.end) {
    case "timeout":
      return { verdict: "time_limit_exceeded", error: `time limit exceeded (${secs} s for all tests)` };
    case "startup_timeout":
      return { verdict: "time_limit_exceeded", error: "the code did not finish loading in time" };
    case "output_limit":
      return { verdict: "output_limit_exceeded", error: "output limit exceeded (print less, or return smaller values)" };
    case "result_too_large":
      return {
        verdict: "runtime_error",
        error: "runtime error: result too large",
        message: "Run stopped: a return value was larger than the judge accepts for one test.",
      };
    case "result_too_deep":
      return {
        verdict: "runtime_error",
        error: "runtime error: result too deep",
        message: "Run stopped: a return value was nested more deeply than the judge accepts.",
      };
    case "tampered":
      return {
        verdict: "runtime_error",
        error: "the judge's result channel was tampered with",
        message: `Run stopped: ${outcome.violation ?? "unexpected data on the result channel"}.`,
      };
    default:
      break;
  }
  const stderr = cleanTrace(outcome.stderrTail, cleanPaths);
  if (outcome.signal === "SIGXCPU") return { verdict: "time_limit_exceeded", error: "CPU time limit exceeded" };
  if (outcome.signal === "SIGXFSZ") return { verdict: "output_limit_exceeded", error: "file size limit exceeded" };
  const signal = deathSignal(outcome, sandboxed);
  if (signal && CRASH_SIGNALS.has(signal) && INTERPRETER_OOM.test(outcome.stderrTail)) {
    return {
      verdict: "memory_limit_exceeded",
      error: "memory limit exceeded",
      message: `The process ran out of memory (limit ${memoryMb} MB) and was stopped by the interpreter.`,
    };
  }
  const how = signal ? `was killed by ${signal}` : `exited with code ${outcome.exitCode ?? "?"}`;
  return {
    verdict: "runtime_error",
    error: `the process ${how} before all tests ran`,
    message: stderr ? `The process ${how} before all tests ran.\n${stderr}` : `The process ${how} before all tests ran.`,
  };
}

function fromHarnessError(error: HarnessError, cleanPaths: readonly string[]): Failure {
  const verdict = errorVerdict[error.kind];
  const trace = cleanTrace(error.traceback || `${error.type}: ${error.message}`, cleanPaths);
  const firstLine = cleanTrace(error.kind === "unsupported" ? error.message : `${error.type}: ${error.message}`, cleanPaths);
  const short = firstLine.length > 300 ? `${firstLine.slice(0, 299)}…` : firstLine;
  return { verdict, error: short, message: trace };
}

export interface VerdictContext {
  problem: PreparedProblem;
  language: Language;
  outcome: RunOutcome;
  sandboxed: boolean;
  /** Host paths to scrub from messages (unsandboxed mode's working directory). */
  cleanPaths?: readonly string[];
}

export function decideVerdict(ctx: VerdictContext): JudgeResult {
  const { problem, language, outcome } = ctx;
  const cleanPaths = ctx.cleanPaths ?? [];
  const { timeMs, memoryMb } = problem.spec.limits;
  const measured = {
    limits: { timeMs, memoryMb },
    ...(outcome.wallMs !== undefined ? { wallMs: Math.round(outcome.wallMs) } : {}),
    ...(outcome.cpuMs !== undefined ? { cpuMs: Math.round(outcome.cpuMs) } : {}),
    sandboxed: ctx.sandboxed,
  };
  // Field order is what a reader of the CLI's JSON sees first: the verdict, then the details.
  const result = (verdict: Verdict, passed: number, tests: TestResult[], extra: Pick<JudgeResult, "failure" | "message"> = {}): JudgeResult => ({
    questionId: problem.questionId,
    language,
    verdict,
    passed,
    total: problem.tests.length,
    tests,
    ...(extra.failure ? { failure: extra.failure } : {}),
    ...(extra.message ? { message: extra.message } : {}),
    ...measured,
  });
  const notRun = (error: string): TestResult[] => problem.tests.map((t) => ({ name: t.name, hidden: t.hidden, passed: false, error }));

  if (outcome.end === "compile_error" || outcome.end === "missing_entry") {
    const entry = outcome.missingEntry;
    const signature = problem.spec.signatures[language];
    const message =
      outcome.end === "compile_error"
        ? cleanTrace(outcome.compileError ?? "", cleanPaths)
        : `\`${entry}\` is not defined. Expected:\n${signature}`;
    return result("compile_error", 0, notRun("not run (compile error)"), { message });
  }
  if (outcome.end === "load_error" && outcome.loadError) {
    const failure = fromHarnessError(outcome.loadError, cleanPaths);
    return result(failure.verdict, 0, notRun("not run (the code failed while loading)"), { message: failure.message });
  }

  if (outcome.end === "tampered") {
    // Something other than the harness wrote to the result channel: none of the results can be trusted.
    const failure = stoppedEarly(outcome, timeMs, memoryMb, ctx.sandboxed, cleanPaths);
    return result(failure.verdict, 0, notRun(failure.error), { message: failure.message });
  }

  const tests: TestResult[] = [];
  let first: { index: number; failure: Failure } | undefined;
  let passed = 0;
  problem.tests.forEach((test, index) => {
    const frame = outcome.results[index];
    const entry: TestResult = { name: test.name, hidden: test.hidden, passed: false };
    let failure: Failure | undefined;
    if (!frame) {
      if (!first) failure = stoppedEarly(outcome, timeMs, memoryMb, ctx.sandboxed, cleanPaths);
      else entry.error = "not run";
    } else {
      entry.timeMs = Math.round(frame.ms * 10) / 10;
      if (frame.ok) {
        const comparison = compareResult(problem.spec.compare, test.args, frame.value, test.expected);
        if (comparison.ok) entry.passed = true;
        else {
          // A checker's message may describe the expected answer: hidden tests say only that they failed.
          const error = test.hidden ? "wrong answer" : comparison.message ?? "wrong answer";
          failure = { verdict: "wrong_answer", error, got: frame.value, hasGot: true };
        }
      } else {
        failure = fromHarnessError(frame.error, cleanPaths);
      }
    }
    if (entry.passed) passed++;
    if (failure) {
      entry.error = failure.error;
      if (!first) first = { index, failure };
    }
    tests.push(entry);
  });

  if (!first) return result("accepted", passed, tests);

  const test = problem.tests[first.index];
  const failure = first.failure;
  const detail: FailureDetail = { name: test?.name ?? "", hidden: test?.hidden ?? true };
  if (test && !test.hidden) {
    detail.input = test.args.map((arg) => preview(arg));
    if (failure.verdict === "wrong_answer") {
      detail.expected = preview(test.expected);
      if (failure.hasGot) detail.got = preview(failure.got);
    }
  }
  if (failure.verdict === "wrong_answer" && failure.error !== "wrong answer") detail.message = failure.error;
  return result(failure.verdict, passed, tests, { failure: detail, message: failure.message });
}
