/**
 * Prepares a question's tests off the event loop (prepare-worker.ts) and hands back a PreparedProblem
 * whose args and expected values are parsed on first use, one test at a time. If the worker cannot
 * start (an unusual runtime), preparation falls back to this thread, in small steps, with a log line.
 */
import { Worker } from "node:worker_threads";
import type { Question } from "../content/schema.js";
import { JudgeContentError } from "./errors.js";
import { prepareProblem, type MaterializedTest, type PreparedProblem } from "./materialize.js";
import type { PrepareReply, SerializedTest } from "./prepare-worker.js";

/** A test whose big values stay JSON text until the verdict needs them. */
class LazyTest implements MaterializedTest {
  readonly name: string;
  readonly hidden: boolean;
  readonly performance: boolean;
  private argsJson: string | undefined;
  private expectedJson: string | undefined;
  private parsedArgs: unknown[] | undefined;
  private parsedExpected: unknown;

  constructor(serialized: SerializedTest) {
    this.name = serialized.name;
    this.hidden = serialized.hidden;
    this.performance = serialized.performance;
    this.argsJson = serialized.argsJson;
    this.expectedJson = serialized.expectedJson;
  }

  get args(): unknown[] {
    if (this.argsJson !== undefined) {
      this.parsedArgs = JSON.parse(this.argsJson) as unknown[];
      this.argsJson = undefined;
    }
    return this.parsedArgs as unknown[];
  }

  get expected(): unknown {
    if (this.expectedJson !== undefined) {
      this.parsedExpected = JSON.parse(this.expectedJson);
      this.expectedJson = undefined;
    }
    return this.parsedExpected;
  }
}

const moduleUrl = import.meta.url;
const workerEntry = new URL(`./prepare-worker${moduleUrl.endsWith(".ts") ? ".ts" : ".js"}`, moduleUrl).href;

export class PreparePool {
  private worker: Worker | undefined;
  private failed = false;
  private nextId = 0;
  private readonly waiting = new Map<number, { question: Question; resolve: (p: PreparedProblem) => void; reject: (e: Error) => void }>();

  constructor(private readonly log: (line: string) => void = () => {}) {}

  prepare(question: Question): Promise<PreparedProblem> {
    const worker = this.start();
    if (!worker) return prepareProblem(question);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.waiting.set(id, { question, resolve, reject });
      worker.ref();
      worker.postMessage({ id, question });
    });
  }

  /** Stops the worker (tests, shutdown); later calls start a new one. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker | undefined {
    if (this.worker || this.failed) return this.worker;
    let worker: Worker;
    try {
      worker = new Worker(new URL("./prepare-worker-boot.mjs", moduleUrl), { workerData: { entry: workerEntry } });
    } catch (error) {
      this.fallBack(`cannot start (${(error as Error).message})`);
      return undefined;
    }
    worker.unref();
    worker.on("message", (reply: PrepareReply) => this.settle(reply));
    worker.on("error", (error) => this.fallBack(`failed (${error.message})`));
    worker.on("exit", () => {
      if (this.worker === worker) this.worker = undefined;
      // Anything still waiting is prepared here rather than lost.
      for (const [id, entry] of this.waiting) {
        this.waiting.delete(id);
        prepareProblem(entry.question).then(entry.resolve, entry.reject);
      }
    });
    this.worker = worker;
    return worker;
  }

  private fallBack(why: string): void {
    if (!this.failed) this.log(`judge: the test-preparation worker ${why}; preparing tests on the main thread`);
    this.failed = true;
  }

  private settle(reply: PrepareReply): void {
    const entry = this.waiting.get(reply.id);
    if (!entry) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker?.unref();
    if (!reply.ok) {
      entry.reject(reply.contentError ? new JudgeContentError(reply.message) : new Error(reply.message));
      return;
    }
    const spec = entry.question.coding;
    if (!spec) return entry.reject(new JudgeContentError(`${entry.question.id} is not a coding question`));
    entry.resolve({ questionId: entry.question.id, spec, tests: reply.tests.map((t) => new LazyTest(t)), payload: reply.payload });
  }
}
