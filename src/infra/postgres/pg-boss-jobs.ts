import { createHash } from "node:crypto";
import PgBoss from "pg-boss";
import { QUEUE_NAMES, type JobContext, type JobHandler, type JobQueue, type QueueName, type SendOptions } from "../../engine/jobs/ports.js";

export interface PgBossQueueSettings {
  /** Jobs of this queue this process runs at once. */
  concurrency: number;
  /** Tries after the first (a throw, a stop mid-job, or a dead worker each use one). */
  retryLimit: number;
  /** Seconds before the first retry; doubled (with jitter) for each further one. */
  retryDelaySeconds: number;
  /**
   * The longest a job may legitimately run (the LLM deadline, the judge's wall clock, plus a margin). Past
   * it the job is told to stop through its signal and handed back for a retry.
   */
  maxRunMs: number;
}

export interface PgBossJobsOptions {
  connectionString: string;
  /** PostgreSQL schema of pg-boss's tables. */
  schema?: string;
  queues: Record<QueueName, PgBossQueueSettings>;
  logger: { warn(message: string): void; error(message: string): void };
  /**
   * A running job's lease: pg-boss's `expireInSeconds`. A live worker renews it every `heartbeatMs`; a
   * worker killed with `kill -9` stops renewing, and maintenance hands the job to another worker once the
   * lease ran out. This, not the job's length, bounds how long a dead worker's job waits.
   */
  leaseSeconds?: number;
  heartbeatMs?: number;
  /** How often pg-boss's maintenance (expiring leases, archiving) runs across all instances. */
  maintenanceIntervalSeconds?: number;
  /** How often an idle worker asks for jobs. */
  pollIntervalMs?: number;
}

interface Running {
  queue: QueueName;
  abort: AbortController;
  /** Set once the job was completed, failed or handed back, so it is settled exactly once here. */
  settled: boolean;
  done: Promise<void>;
}

/**
 * The job queue on PostgreSQL through pg-boss 10: every app and worker process on the database shares
 * it. Each queue is created at start with its retry policy and a short lease; a key becomes a
 * deterministic job id, so a second send while the job is queued, waiting for a retry or running is
 * refused by the database itself, and a finished job's key is free again.
 */
export class PgBossJobs implements JobQueue {
  private readonly boss: PgBoss;
  private readonly schema: string;
  private readonly leaseSeconds: number;
  private readonly heartbeatMs: number;
  private readonly pollIntervalMs: number;
  private readonly running = new Map<string, Running>();
  private readonly loops: Promise<void>[] = [];
  private readonly wakers = new Map<QueueName, () => void>();
  /** Queues with news (a job finished or was sent here) since their last fetch. */
  private readonly nudged = new Set<QueueName>();
  private heartbeat?: NodeJS.Timeout;
  private stopped = false;

  private constructor(private readonly options: PgBossJobsOptions) {
    this.schema = options.schema ?? "pgboss";
    this.leaseSeconds = options.leaseSeconds ?? 30;
    this.heartbeatMs = options.heartbeatMs ?? 10_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      schema: this.schema,
      application_name: "interview-coach-jobs",
      // Expired leases are found within this many seconds by whichever instance's turn it is.
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 10,
      // No cron schedules: the daily scheduler claims its own slots.
      schedule: false,
      supervise: true,
      migrate: true,
    });
    this.boss.on("error", (error: Error) => options.logger.error(`pg-boss: ${error.message}`));
  }

  /** Connects, installs or migrates pg-boss's schema, and creates (or updates) the four queues. */
  static async start(options: PgBossJobsOptions): Promise<PgBossJobs> {
    const jobs = new PgBossJobs(options);
    await jobs.boss.start();
    for (const name of QUEUE_NAMES) {
      const settings = options.queues[name];
      const queue = {
        name,
        policy: "standard" as const,
        retryLimit: settings.retryLimit,
        retryDelay: settings.retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: jobs.leaseSeconds,
      };
      await jobs.boss.createQueue(name, queue);
      // An existing queue keeps its old settings otherwise (another version may have created it).
      await jobs.boss.updateQueue(name, queue);
    }
    return jobs;
  }

  async send<T extends object>(queue: QueueName, data: T, options: SendOptions = {}): Promise<{ queued: boolean }> {
    const id = options.key === undefined ? undefined : keyToJobId(queue, options.key);
    const sendOptions = { ...(id ? { id } : {}), ...(options.startAfter ? { startAfter: options.startAfter } : {}) };
    if ((await this.boss.send(queue, data, sendOptions)) !== null) return this.sent(queue);
    if (!id) throw new Error(`pg-boss refused a ${queue} job (does the queue exist?)`);
    // The key's job is still in the table: a no-op while it is queued, waiting or running; a finished
    // one (completed, failed, cancelled, kept for a while before archiving) gives way to the new job.
    const existing = await this.boss.getJobById(queue, id);
    if (existing && ["created", "retry", "active"].includes(existing.state)) return { queued: false };
    if (existing) await this.boss.deleteJob(queue, id);
    return (await this.boss.send(queue, data, sendOptions)) !== null ? this.sent(queue) : { queued: false };
  }

  async work<T extends object>(queue: QueueName, handler: JobHandler<T>): Promise<void> {
    if (this.wakers.has(queue)) throw new Error(`queue ${queue} already has a worker`);
    this.wakers.set(queue, () => undefined);
    this.heartbeat ??= setInterval(() => void this.renewLeases(), this.heartbeatMs);
    this.loops.push(this.poll(queue, handler as JobHandler<object>));
  }

  async depth(queue: QueueName): Promise<number> {
    // Created, waiting for a retry, or active.
    return this.boss.getQueueSize(queue, { before: "completed" });
  }

  /**
   * Stops fetching; gives running jobs `graceMs`, then tells the rest to stop and hands them back (failed
   * with a retry: another worker takes them with `mayBeDone`). Closes the connections.
   */
  async stop(graceMs: number): Promise<{ unfinished: number }> {
    if (this.stopped) return { unfinished: 0 };
    this.stopped = true;
    for (const wake of this.wakers.values()) wake();
    await Promise.all(this.loops);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.allSettled([...this.running.values()].map((r) => r.done)), timeout]);
    clearTimeout(timer);
    const unfinished = [...this.running.entries()].filter(([, r]) => !r.settled);
    for (const [id, run] of unfinished) await this.handBack(id, run, "the worker stopped before the job finished");
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.boss.stop({ graceful: false, close: true, wait: true });
    return { unfinished: unfinished.length };
  }

  private sent(queue: QueueName): { queued: boolean } {
    // A worker of this queue in this process need not wait for its next poll.
    this.nudge(queue);
    return { queued: true };
  }

  private nudge(queue: QueueName): void {
    this.nudged.add(queue);
    this.wakers.get(queue)?.();
  }

  private async poll(queue: QueueName, handler: JobHandler<object>): Promise<void> {
    const { concurrency } = this.options.queues[queue];
    while (!this.stopped) {
      const free = concurrency - [...this.running.values()].filter((r) => r.queue === queue).length;
      let fetched = 0;
      this.nudged.delete(queue);
      if (free > 0) {
        try {
          const jobs = await this.boss.fetch<object>(queue, { batchSize: free, includeMetadata: true });
          fetched = jobs.length;
          for (const job of jobs) {
            // Fetched while stopping: straight back to the queue, untouched.
            if (this.stopped) await this.boss.fail(queue, job.id, { message: "the worker stopped" });
            else this.start(queue, job, handler);
          }
        } catch (error) {
          this.options.logger.error(`fetching ${queue} jobs: ${(error as Error).message}`);
        }
      }
      // Straight on while there was work and room; otherwise until the interval, a finished job or a send.
      if ((fetched > 0 && fetched === free) || this.nudged.has(queue)) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.pollIntervalMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wakers.set(queue, done);
      });
    }
  }

  private start(queue: QueueName, job: PgBoss.JobWithMetadata<object>, handler: JobHandler<object>): void {
    const abort = new AbortController();
    const context: JobContext = { id: job.id, attempt: job.retryCount + 1, mayBeDone: job.retryCount > 0, signal: abort.signal };
    const run: Running = { queue, abort, settled: false, done: Promise.resolve() };
    const { maxRunMs } = this.options.queues[queue];
    const overdue = setTimeout(() => void this.handBack(job.id, run, `ran longer than ${maxRunMs} ms`), maxRunMs);
    run.done = (async () => {
      try {
        await handler(job.data, context);
        if (!run.settled) {
          run.settled = true;
          await this.boss.complete(queue, job.id);
        }
      } catch (error) {
        if (!run.settled) {
          run.settled = true;
          this.options.logger.error(`${queue} job ${job.id} failed on attempt ${context.attempt} (${(error as Error).message})`);
          await this.boss.fail(queue, job.id, { message: (error as Error).message });
        }
      } finally {
        clearTimeout(overdue);
        this.running.delete(job.id);
        this.nudge(queue);
      }
    })().catch((error: Error) => this.options.logger.error(`settling ${queue} job ${job.id}: ${error.message}`));
    this.running.set(job.id, run);
  }

  /** Tells a running job to stop and returns it to the queue for another attempt. */
  private async handBack(id: string, run: Running, reason: string): Promise<void> {
    if (run.settled) return;
    run.settled = true;
    run.abort.abort(new Error(reason));
    this.options.logger.warn(`${run.queue} job ${id} handed back: ${reason}`);
    await this.boss.fail(run.queue, id, { message: reason }).catch((error: Error) => this.options.logger.error(`handing back ${run.queue} job ${id}: ${error.message}`));
  }

  /** Pushes the lease of every job still running here forward (pg-boss expires from `started_on`). */
  private async renewLeases(): Promise<void> {
    const byQueue = new Map<QueueName, string[]>();
    for (const [id, run] of this.running) if (!run.settled) byQueue.set(run.queue, [...(byQueue.get(run.queue) ?? []), id]);
    for (const [queue, ids] of byQueue) {
      await this.boss
        .getDb()
        .executeSql(`UPDATE ${this.schema}.job SET started_on = now() WHERE name = $1 AND id = ANY($2::uuid[]) AND state = 'active'`, [queue, ids])
        .catch((error: Error) => this.options.logger.error(`renewing ${queue} leases: ${error.message}`));
    }
  }
}

/** A job id derived from the queue and key (UUID layout, version 5 style): one job per key in the table. */
export function keyToJobId(queue: QueueName, key: string): string {
  const hash = createHash("sha1").update(`interview-coach\u0000${queue}\u0000${key}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
