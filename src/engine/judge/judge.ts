/**
 * The code judge: question + language + source in, typed verdict out. Runs only in a sandbox that
 * passed its start-up self-test, unless an operator explicitly allows the unsandboxed fallback
 * (never with NODE_ENV=production).
 */
import type { QuestionBank } from "../content/bank.js";
import { languageSchema, type Question } from "../content/schema.js";
import { JudgeRequestError } from "./errors.js";
import type { ExecutorConfig } from "./executor.js";
import { nodeInterpreter, pythonInterpreter, type Interpreter } from "./interpreters.js";
import { runJudgement, type JudgeJob } from "./judge-run.js";
import { DEFAULT_LIMITS, type JudgeLimits } from "./limits.js";
import { ProblemCache } from "./problem-cache.js";
import { RunQueue } from "./queue.js";
import { selfTestSandbox } from "./self-test.js";
import type { JudgeResult, Language } from "./types.js";
import { JudgeWorkerPool } from "./worker-pool.js";
import { noTelemetry, type Telemetry } from "../telemetry.js";

/** Named for its risk: set to 1/true to run candidates' code WITHOUT a sandbox when bwrap cannot run. */
export const UNSANDBOXED_SETTING = "ALLOW_UNSANDBOXED_CODE_EXECUTION";

export type JudgeMode = "sandbox" | "unsandboxed" | "off";

export interface JudgeOptions {
  bank: QuestionBank;
  /** Concurrent runs; defaults to the number of cores. */
  concurrency?: number;
  /** Defaults to the ALLOW_UNSANDBOXED_CODE_EXECUTION setting in `env`. */
  allowUnsandboxed?: boolean;
  /** Where settings (NODE_ENV, the unsandboxed flag) are read from; defaults to process.env. */
  env?: Record<string, string | undefined>;
  bwrapPath?: string;
  pythonPath?: string;
  nodePath?: string;
  limits?: Partial<JudgeLimits>;
  log?: (line: string) => void;
  /** Times each run and counts failed runs (queue "judge"; default: nothing). */
  telemetry?: Telemetry;
}

export interface Judge {
  readonly available: boolean;
  /** Why code execution is off or degraded; undefined when the sandbox works. */
  readonly reason?: string;
  readonly mode: JudgeMode;
  readonly languages: readonly Language[];
  readonly queue: RunQueue;
  /** Throws JudgeRequestError for an unknown or non-coding question; every other problem is a verdict. */
  judge(questionId: string, language: string, source: string): Promise<JudgeResult>;
  /**
   * Generates every coding question's tests ahead of the first submission (seconds of CPU for large
   * generated inputs, in the judge's worker thread). Optional.
   */
  warmUp(): Promise<void>;
}

function flagSet(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

export async function createJudge(options: JudgeOptions): Promise<Judge> {
  const env = options.env ?? process.env;
  const limits: JudgeLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = options.log ?? (() => {});
  const bwrapPath = options.bwrapPath ?? "/usr/bin/bwrap";
  const queue = new RunQueue(options.concurrency);

  const selfTest = await selfTestSandbox({ bwrapPath, pythonPath: options.pythonPath, nodePath: options.nodePath, limits });
  let mode: JudgeMode;
  let reason: string | undefined;
  let interpreters: Partial<Record<Language, Interpreter>> = {};
  let executor: ExecutorConfig | undefined;

  if (selfTest.ok) {
    mode = "sandbox";
    interpreters = selfTest.interpreters;
    executor = { isolation: "bwrap", bwrapPath, features: selfTest.features, limits };
    const off = Object.entries(selfTest.languages).filter(([, check]) => !check.ok);
    if (off.length > 0) reason = off.map(([lang, check]) => `${lang} unavailable: ${check.reason}`).join("; ");
    for (const note of selfTest.degraded) log(`judge: WARNING ${note}`);
    log(`judge: sandbox self-test passed (${Object.keys(interpreters).join(", ")})${reason ? `; ${reason}` : ""}`);
  } else if ((options.allowUnsandboxed ?? flagSet(env[UNSANDBOXED_SETTING])) && env.NODE_ENV !== "production") {
    mode = "unsandboxed";
    reason = `sandbox unavailable (${selfTest.reason}); running code WITHOUT a sandbox because ${UNSANDBOXED_SETTING} is set`;
    for (const [language, make] of [
      ["python", () => pythonInterpreter(options.pythonPath)],
      ["javascript", () => nodeInterpreter(options.nodePath)],
    ] as const) {
      try {
        interpreters[language] = make();
      } catch {
        // that language stays unavailable
      }
    }
    executor = { isolation: "none", bwrapPath, limits };
    log(`judge: WARNING ${reason}`);
  } else {
    mode = "off";
    reason =
      env.NODE_ENV === "production" && flagSet(env[UNSANDBOXED_SETTING])
        ? `sandbox unavailable (${selfTest.reason}); ${UNSANDBOXED_SETTING} is ignored in production`
        : `sandbox unavailable (${selfTest.reason})`;
    log(`judge: code execution is OFF: ${reason}`);
  }

  const languages = Object.keys(interpreters) as Language[];
  // Preparing tests, starting sandboxes, parsing frames and deciding verdicts run in a worker thread;
  // the same steps run here only if the worker cannot (worker-pool.ts).
  const problems = new ProblemCache();
  const local = {
    prepare: async (question: Question) => void (await problems.get(question)),
    judge: async (job: JudgeJob) => runJudgement(await problems.get(job.question), interpreters[job.language]!, job),
  };
  const pool = new JudgeWorkerPool(local, log);

  async function judge(questionId: string, language: string, source: string): Promise<JudgeResult> {
    const ref = options.bank.find(questionId);
    if (!ref) throw new JudgeRequestError("unknown_question", `unknown question ${questionId}`);
    const spec = ref.question.coding;
    if (!spec) throw new JudgeRequestError("not_a_coding_question", `${questionId} is not a coding question`);

    const parsedLanguage = languageSchema.safeParse(language);
    const rejected = (message: string): JudgeResult => ({
      questionId,
      language,
      verdict: "rejected",
      passed: 0,
      total: spec.examples.length + spec.tests.length,
      tests: [],
      message,
      limits: { timeMs: spec.limits.timeMs, memoryMb: spec.limits.memoryMb },
      sandboxed: mode === "sandbox",
    });
    if (!parsedLanguage.success) return rejected(`Unsupported language "${language}": use python or javascript.`);
    const lang: Language = parsedLanguage.data;
    const bytes = Buffer.byteLength(source, "utf8");
    if (bytes > limits.maxSourceBytes) {
      return rejected(`The code is too large (${Math.ceil(bytes / 1024)} KB; the limit is ${limits.maxSourceBytes / 1024} KB).`);
    }
    const interpreter = interpreters[lang];
    if (!executor || !interpreter) {
      return rejected(mode === "off" ? `Code execution is switched off: ${reason}.` : `${lang} is not available on this server.`);
    }

    const job: JudgeJob = { question: ref.question, language: lang, source, executor, sandboxed: mode === "sandbox" };
    const telemetry = options.telemetry ?? noTelemetry;
    return queue.run(async () => {
      // Timed from taking a run slot: waiting in the queue is the queue's depth, not the run's time.
      const started = performance.now();
      try {
        const result = await pool.judge(job, interpreter.path);
        telemetry.judgeRun({ verdict: result.verdict, language: lang, seconds: (performance.now() - started) / 1000 });
        return result;
      } catch (error) {
        telemetry.jobFailed("judge");
        throw error;
      }
    });
  }

  async function warmUp(): Promise<void> {
    for (const round of options.bank.rounds) {
      for (const question of round.questions) if (question.coding) await pool.prepare(question);
    }
  }

  return { available: mode !== "off", reason, mode, languages, queue, judge, warmUp };
}
