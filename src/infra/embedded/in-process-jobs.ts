import { randomUUID } from "node:crypto";
import type { JobContext, JobHandler, JobQueue, QueueName, SendOptions } from "../../engine/jobs/ports.js";

export interface InProcessQueueSettings {
  /** Jobs of this queue run at once. */
  concurrency: number;
  /** Waits before the 2nd, 3rd… attempt of a failed job; after the last one the job is dropped (logged). */
  retryDelaysMs: number[];
}

export interface InProcessJobsOptions {
  queues: Record<QueueName, InProcessQueueSettings>;
  logger: { error(message: string): void };
}

interface Job {
  id: string;
  queue: QueueName;
  data: object;
  key?: string;
  attempt: number;
}

/**
 * The embedded job queue: jobs live in this process's memory and run here, a bounded number per queue,
 * tried again after a throw with growing delays. Nothing survives the process: what must not be lost is
 * stored elsewhere first (the inbox) and sent again at the next start. A key is held from `send` until
 * the job finished or gave up (retry waits included), so sending it again meanwhile is a no-op.
 */
export class InProcessJobs implements JobQueue {
  private readonly waiting = new Map<QueueName, Job[]>();
  private readonly handlers = new Map<QueueName, JobHandler<object>>();
  private readonly active = new Map<QueueName, number>();
  private readonly delayed = new Map<NodeJS.Timeout, Job>();
  private readonly keys = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: InProcessJobsOptions) {}

  async send<T extends object>(queue: QueueName, data: T, options: SendOptions = {}): Promise<{ queued: boolean }> {
    if (this.stopped) return { queued: false };
    const key = options.key === undefined ? undefined : `${queue}\u0000${options.key}`;
    if (key !== undefined) {
      if (this.keys.has(key)) return { queued: false };
      this.keys.add(key);
    }
    const job: Job = { id: randomUUID(), queue, data, key, attempt: 1 };
    const wait = options.startAfter ? options.startAfter.getTime() - Date.now() : 0;
    if (wait > 0) this.later(job, wait);
    else this.enqueue(job);
    return { queued: true };
  }

  async work<T extends object>(queue: QueueName, handler: JobHandler<T>): Promise<void> {
    if (this.handlers.has(queue)) throw new Error(`queue ${queue} already has a worker`);
    this.handlers.set(queue, handler as JobHandler<object>);
    this.pump(queue);
  }

  async depth(queue: QueueName): Promise<number> {
    const delayed = [...this.delayed.values()].filter((job) => job.queue === queue).length;
    return (this.waiting.get(queue)?.length ?? 0) + (this.active.get(queue) ?? 0) + delayed;
  }

  /**
   * Stops taking jobs; queued and delayed ones are dropped (their owners stored them durably). Running ones
   * get `graceMs` to finish; the rest are told to stop through their signal and counted as unfinished.
   */
  async stop(graceMs: number): Promise<{ unfinished: number }> {
    this.stopped = true;
    this.waiting.clear();
    for (const timer of this.delayed.keys()) clearTimeout(timer);
    this.delayed.clear();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.allSettled([...this.running]), timeout]);
    clearTimeout(timer);
    const unfinished = this.running.size;
    if (unfinished > 0) this.abort.abort(new Error("the worker is stopping"));
    this.wakeIdle();
    return { unfinished };
  }

  /** Resolves when nothing is queued, delayed or running (tests and benchmarks). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(job: Job): void {
    if (this.stopped) return;
    const list = this.waiting.get(job.queue) ?? [];
    list.push(job);
    this.waiting.set(job.queue, list);
    this.pump(job.queue);
  }

  private later(job: Job, ms: number): void {
    const timer = setTimeout(() => {
      this.delayed.delete(timer);
      this.enqueue(job);
    }, ms);
    timer.unref();
    this.delayed.set(timer, job);
  }

  private pump(queue: QueueName): void {
    const handler = this.handlers.get(queue);
    const list = this.waiting.get(queue);
    if (!handler || !list) return;
    const { concurrency } = this.options.queues[queue];
    while (!this.stopped && (this.active.get(queue) ?? 0) < concurrency && list.length > 0) {
      const job = list.shift()!;
      this.active.set(queue, (this.active.get(queue) ?? 0) + 1);
      const run = this.run(job, handler).finally(() => {
        this.active.set(queue, (this.active.get(queue) ?? 1) - 1);
        this.running.delete(run);
        this.pump(queue);
        this.wakeIdle();
      });
      this.running.add(run);
    }
  }

  private async run(job: Job, handler: JobHandler<object>): Promise<void> {
    const signal = this.abort.signal;
    const context: JobContext = { id: job.id, attempt: job.attempt, mayBeDone: job.attempt > 1, signal };
    try {
      await handler(job.data, context);
      this.release(job);
    } catch (error) {
      // Stopped mid-job: the owner's durable record brings it back at the next start.
      if (signal.aborted) return this.release(job);
      const delay = this.options.queues[job.queue].retryDelaysMs[job.attempt - 1];
      const message = (error as Error).message;
      if (delay === undefined || this.stopped) {
        this.release(job);
        this.options.logger.error(`${job.queue} job ${job.id} failed ${job.attempt} time(s) (${message}); giving up until the next start`);
        return;
      }
      this.options.logger.error(`${job.queue} job ${job.id} failed (${message}); retrying in ${delay} ms`);
      this.later({ ...job, attempt: job.attempt + 1 }, delay);
    }
  }

  private release(job: Job): void {
    if (job.key !== undefined) this.keys.delete(job.key);
  }

  private isIdle(): boolean {
    return this.running.size === 0 && this.delayed.size === 0 && [...this.waiting.values()].every((list) => list.length === 0 || this.stopped);
  }

  private wakeIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
