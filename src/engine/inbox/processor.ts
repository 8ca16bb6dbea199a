import { KeyedSerial } from "../serial.js";
import type { Inbox } from "./ports.js";
import type { InboxEntry } from "./records.js";
import { noTelemetry, type Telemetry } from "../telemetry.js";

export interface ProcessContext {
  /**
   * True when the entry may have been acted on before (found pending at start-up, or a retry after a
   * failure): the handler looks for what it already posted before posting it again.
   */
  mayBeDone: boolean;
  attempt: number;
  /**
   * Aborted when the processor stops before this entry finished: the handler must not post or save
   * anything more (the entry stays in the inbox and the next start handles it).
   */
  signal: AbortSignal;
}

/** Handles one reply: grade it and answer it. Throwing leaves the entry pending; it is tried again later. */
export type InboxHandler = (entry: InboxEntry, context: ProcessContext) => Promise<void>;

export interface InboxProcessorOptions {
  inbox: Inbox;
  handle: InboxHandler;
  /** Entries handled at once (grading waits mostly on the LLM or the judge's own queue). */
  concurrency?: number;
  /** Waits before the 2nd, 3rd… attempt of a failed entry; after the last one it waits for the next start. */
  retryDelaysMs?: number[];
  /** `error` may take the error itself too (a structured logger records its stack). */
  logger: { info(message: string): void; error(message: string, error?: unknown): void };
  /** Counts failed attempts (queue "grade"; default: nothing). */
  telemetry?: Telemetry;
}

interface Job {
  entry: InboxEntry;
  mayBeDone: boolean;
  attempt: number;
}

/**
 * The embedded job runner for the inbox: replies accepted by the chat adapter are handled here after
 * the platform was told they arrived, a bounded number at a time. One person's replies in one thread
 * run in arrival order. On start `recover()` takes every entry a previous process left pending.
 */
export class InboxProcessor {
  private readonly queue: Job[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly serial = new KeyedSerial();
  private readonly abort = new AbortController();
  private readonly concurrency: number;
  private readonly retryDelaysMs: number[];
  private active = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: InboxProcessorOptions) {
    this.concurrency = options.concurrency ?? 32;
    this.retryDelaysMs = options.retryDelaysMs ?? [2_000, 15_000, 60_000];
  }

  /** Queues a freshly accepted entry. Ignored once stopping: the entry stays pending for the next start. */
  enqueue(entry: InboxEntry): void {
    this.push({ entry, mayBeDone: false, attempt: 1 });
  }

  /** Queues everything a previous process accepted and did not finish; returns how many. */
  async recover(): Promise<number> {
    const pending = await this.options.inbox.pending();
    for (const entry of pending) this.push({ entry, mayBeDone: true, attempt: 1 });
    return pending.length;
  }

  /** Entries queued or being handled. */
  get backlog(): number {
    return this.queue.length + this.active;
  }

  /**
   * Stops taking work and waits up to `timeoutMs` for the entries being handled; queued ones stay
   * pending on disk. Resolves with how many were still running when the time ran out.
   */
  async stop(timeoutMs: number): Promise<{ unfinished: number }> {
    this.stopped = true;
    this.queue.length = 0;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.running]), timeout]);
    clearTimeout(timer);
    const unfinished = this.active;
    // What is still running is abandoned to the next start: it must not post or save from now on.
    if (unfinished > 0) this.abort.abort(new Error("the app is stopping"));
    return { unfinished };
  }

  /** Resolves when nothing is queued or running (tests and benchmarks). */
  idle(): Promise<void> {
    if (this.backlog === 0 && this.timers.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private push(job: Job): void {
    if (this.stopped) return;
    this.queue.push(job);
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.active < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.active += 1;
      const run = this.run(job).finally(() => {
        this.active -= 1;
        this.running.delete(run);
        this.pump();
        this.wakeIdle();
      });
      this.running.add(run);
    }
  }

  private async run(job: Job): Promise<void> {
    const { entry } = job;
    // One person's replies in one thread are handled in the order they arrived.
    const key = `${entry.channel}\u0000${entry.threadTs}\u0000${entry.userId}`;
    try {
      const signal = this.abort.signal;
      await this.serial.run(key, () => {
        signal.throwIfAborted();
        return this.options.handle(entry, { mayBeDone: job.mayBeDone, attempt: job.attempt, signal });
      });
      signal.throwIfAborted();
      await this.options.inbox.complete(entry.id);
    } catch (error) {
      // Whatever was posted may have landed: the next attempt looks before posting again.
      if (this.abort.signal.aborted) return;
      (this.options.telemetry ?? noTelemetry).jobFailed("grade");
      const delay = this.retryDelaysMs[job.attempt - 1];
      const message = (error as Error).message;
      if (delay === undefined || this.stopped) {
        this.options.logger.error(`reply ${entry.id} from ${entry.userId} failed ${job.attempt} times (${message}); it stays in the inbox for the next start`, error);
        return;
      }
      this.options.logger.error(`reply ${entry.id} from ${entry.userId} failed (${message}); retrying in ${delay} ms`, error);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.push({ entry, mayBeDone: true, attempt: job.attempt + 1 });
      }, delay);
      timer.unref();
      this.timers.add(timer);
    }
  }

  private wakeIdle(): void {
    if (this.backlog > 0 || this.timers.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
