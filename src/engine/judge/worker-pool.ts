/**
 * Sends preparation and judging to the judge's worker thread (judge-worker.ts), so that no judge step
 * holds the app's event loop. If the worker cannot start, or stops, the same work runs on this thread
 * (the `local` functions) with a log line: slower to the app, never a lost verdict.
 */
import { Worker } from "node:worker_threads";
import type { Question } from "../content/schema.js";
import { JudgeContentError, JudgeInternalError } from "./errors.js";
import type { JudgeJob } from "./judge-run.js";
import type { WorkerError, WorkerReply, WorkerRequest } from "./judge-worker.js";
import type { JudgeResult } from "./types.js";

export interface LocalJudging {
  prepare(question: Question): Promise<void>;
  judge(job: JudgeJob): Promise<JudgeResult>;
}

type Pending = { request: WorkerRequest; resolve: (result: JudgeResult | undefined) => void; reject: (error: Error) => void };

const moduleUrl = import.meta.url;
const workerEntry = new URL(`./judge-worker${moduleUrl.endsWith(".ts") ? ".ts" : ".js"}`, moduleUrl).href;

function toError(error: WorkerError): Error {
  if (error.type === "content") return new JudgeContentError(error.message);
  if (error.type === "internal") return new JudgeInternalError(error.message);
  return new Error(error.message);
}

export class JudgeWorkerPool {
  private worker: Worker | undefined;
  private failed = false;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly local: LocalJudging,
    private readonly log: (line: string) => void = () => {},
  ) {}

  async prepare(question: Question): Promise<void> {
    await this.send({ id: this.nextId++, kind: "prepare", question });
  }

  async judge(job: JudgeJob, interpreterPath: string): Promise<JudgeResult> {
    const result = await this.send({ id: this.nextId++, kind: "judge", job, interpreterPath });
    if (!result) throw new JudgeInternalError("the judge worker returned no verdict");
    return result;
  }

  /** Stops the worker (tests, shutdown); later calls start a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private send(request: WorkerRequest): Promise<JudgeResult | undefined> {
    const worker = this.start();
    if (!worker) return this.runLocally(request);
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { request, resolve, reject });
      worker.ref();
      worker.postMessage(request);
    });
  }

  private async runLocally(request: WorkerRequest): Promise<JudgeResult | undefined> {
    if (request.kind === "prepare") {
      await this.local.prepare(request.question);
      return undefined;
    }
    return this.local.judge(request.job);
  }

  private start(): Worker | undefined {
    if (this.worker || this.failed) return this.worker;
    let worker: Worker;
    try {
      worker = new Worker(new URL("./worker-boot.mjs", moduleUrl), { workerData: { entry: workerEntry } });
    } catch (error) {
      this.fallBack(`cannot start (${(error as Error).message})`);
      return undefined;
    }
    worker.unref();
    worker.on("message", (reply: WorkerReply) => this.settle(reply));
    worker.on("error", (error) => this.fallBack(`failed (${error.message})`));
    worker.on("exit", () => {
      if (this.worker === worker) this.worker = undefined;
      // Whatever was in flight is done here rather than lost (a run cut short by the worker's end is rerun).
      for (const [id, entry] of this.pending) {
        this.pending.delete(id);
        this.runLocally(entry.request).then(entry.resolve, entry.reject);
      }
    });
    this.worker = worker;
    return worker;
  }

  private fallBack(why: string): void {
    if (!this.failed) this.log(`judge: WARNING the judge worker ${why}; judging on the main thread`);
    this.failed = true;
  }

  private settle(reply: WorkerReply): void {
    const entry = this.pending.get(reply.id);
    if (!entry) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if (reply.ok) entry.resolve(reply.result);
    else entry.reject(toError(reply.error));
  }
}
