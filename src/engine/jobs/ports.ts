/** The kinds of background work, each its own queue so a worker can take only some (WORKER_QUEUES). */
export const QUEUE_NAMES = ["grade", "judge", "deliver", "loop"] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface JobContext {
  /** The job's id (stable across its attempts). */
  id: string;
  /** 1 for the first attempt. */
  attempt: number;
  /**
   * True when an earlier attempt may have acted (it failed, or its process died mid-job): the handler looks
   * for what it already posted or saved before doing it again.
   */
  mayBeDone: boolean;
  /** Aborted when the worker stops before the job finished: post or save nothing more (the job is retried). */
  signal: AbortSignal;
}

export type JobHandler<T> = (data: T, context: JobContext) => Promise<void>;

export interface SendOptions {
  /** At most one job with this key is queued or running at a time: sending it again is a no-op. */
  key?: string;
  /** Not before this instant. */
  startAfter?: Date;
}

/**
 * Background jobs. The embedded implementation runs them in this process; the PostgreSQL one (pg-boss)
 * shares them between every worker process on the database. A job that throws, or whose process dies, is
 * tried again (with `mayBeDone`) up to its queue's retry limit.
 */
export interface JobQueue {
  /** Queues a job; `queued` is false when a job with the same key is already queued or running. */
  send<T extends object>(queue: QueueName, data: T, options?: SendOptions): Promise<{ queued: boolean }>;
  /** Starts taking jobs of `queue` in this process. */
  work<T extends object>(queue: QueueName, handler: JobHandler<T>): Promise<void>;
  /** Jobs of `queue` waiting or running (for metrics and readiness). */
  depth(queue: QueueName): Promise<number>;
  /** Stops taking jobs; waits up to `graceMs` for running ones, then hands the rest back to the queue. */
  stop(graceMs: number): Promise<{ unfinished: number }>;
}
