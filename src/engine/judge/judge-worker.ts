/**
 * The judge's worker thread: prepares each question's tests once (seconds of CPU for large generated
 * inputs), starts the sandboxes (a fork that can block for hundreds of ms on a busy machine), reads and
 * parses their result frames and decides the verdicts — everything that would otherwise hold the app's
 * event loop. The main thread only sends a small request and gets a small verdict back (worker-pool.ts).
 */
import { parentPort } from "node:worker_threads";
import type { Question } from "../content/schema.js";
import { JudgeContentError, JudgeInternalError } from "./errors.js";
import { nodeInterpreter, pythonInterpreter, type Interpreter } from "./interpreters.js";
import { runJudgement, type JudgeJob } from "./judge-run.js";
import { ProblemCache } from "./problem-cache.js";
import type { JudgeResult, Language } from "./types.js";

export type WorkerRequest =
  | { id: number; kind: "prepare"; question: Question }
  | { id: number; kind: "judge"; job: JudgeJob; interpreterPath: string };

export type WorkerError = { message: string; type: "content" | "internal" | "other" };

export type WorkerReply = { id: number; ok: true; result?: JudgeResult } | { id: number; ok: false; error: WorkerError };

const problems = new ProblemCache();
const interpreters = new Map<string, Interpreter>();

function interpreterFor(language: Language, path: string): Interpreter {
  const key = `${language}:${path}`;
  let interpreter = interpreters.get(key);
  if (!interpreter) {
    interpreter = language === "python" ? pythonInterpreter(path) : nodeInterpreter(path);
    interpreters.set(key, interpreter);
  }
  return interpreter;
}

async function handle(request: WorkerRequest): Promise<JudgeResult | undefined> {
  if (request.kind === "prepare") {
    await problems.get(request.question);
    return undefined;
  }
  const { job } = request;
  const problem = await problems.get(job.question);
  return runJudgement(problem, interpreterFor(job.language, request.interpreterPath), job);
}

parentPort?.on("message", (request: WorkerRequest) => {
  handle(request).then(
    (result) => parentPort?.postMessage({ id: request.id, ok: true, ...(result ? { result } : {}) } satisfies WorkerReply),
    (error: Error) => {
      const type = error instanceof JudgeContentError ? "content" : error instanceof JudgeInternalError ? "internal" : "other";
      parentPort?.postMessage({ id: request.id, ok: false, error: { message: error.message, type } } satisfies WorkerReply);
    },
  );
});
