import type { QuestionBank } from "../content/bank.js";
import type { JobContext, JobQueue, QueueName } from "../jobs/ports.js";
import { KeyedSerial } from "../serial.js";
import { noTelemetry, type Telemetry } from "../telemetry.js";
import type { Inbox } from "./ports.js";
import type { InboxEntry } from "./records.js";

/** What the handler of one reply is told about its attempt (a subset of the job's context). */
export type ReplyContext = Pick<JobContext, "attempt" | "mayBeDone" | "signal">;

/** Handles one reply: grade it and answer it. Throwing leaves the entry pending; its job is tried again. */
export type InboxHandler = (entry: InboxEntry, context: ReplyContext) => Promise<void>;

/** The queues replies go to: code answers need a worker with the sandbox. */
export type ReplyQueue = Extract<QueueName, "grade" | "judge">;

/** A reply job's data: the inbox entry's id only (the entry itself stays in the inbox). */
export interface ReplyJob {
  id: string;
  /** Sent by recovery: an earlier process may have handled part of it. */
  recovered?: boolean;
}

export interface ReplyJobsOptions {
  inbox: Inbox;
  jobs: JobQueue & { idle?(): Promise<void> };
  /** Which queue an entry belongs to (by its question), for entries sent again by recovery. */
  route(entry: InboxEntry): Promise<ReplyQueue>;
  logger: { info(message: string): void; error(message: string): void };
  /** Counts failed attempts by queue (default: nothing). */
  telemetry?: Telemetry;
}

/**
 * Replies go from the inbox to the job queue: the chat adapter accepts a reply into the inbox and sends
 * its job before acknowledging; a worker's job loads the entry, runs the handler and marks the entry
 * handled. The job's key is the entry's id, so sending it again (recovery, a redelivery) is a no-op
 * while its job exists. Recovery sends a job for every entry still pending — at a worker's start, and
 * periodically when the queue is shared — covering a process that died between accepting and sending.
 */
export class ReplyJobs {
  private readonly serial = new KeyedSerial();
  private sweeper?: NodeJS.Timeout;

  constructor(private readonly options: ReplyJobsOptions) {}

  /** Sends the job for a freshly accepted entry. */
  async send(entry: InboxEntry, queue: ReplyQueue): Promise<void> {
    await this.options.jobs.send<ReplyJob>(queue, { id: entry.id }, { key: entry.id });
  }

  /** Takes reply jobs of `queues` in this process, each handled by `handle`. */
  async work(queues: readonly ReplyQueue[], handle: InboxHandler): Promise<void> {
    for (const queue of queues) {
      await this.options.jobs.work<ReplyJob>(queue, (job, context) =>
        this.run(job, context, handle).catch((error: unknown) => {
          (this.options.telemetry ?? noTelemetry).jobFailed(queue);
          throw error;
        }),
      );
    }
  }

  /**
   * Sends a job for every entry pending for at least `olderThanMs` (all of them at start); returns how
   * many were sent. Entries whose job is queued or running are left alone (the key).
   */
  async recover(olderThanMs = 0, now = Date.now()): Promise<number> {
    let sent = 0;
    for (const entry of await this.options.inbox.pending()) {
      if (now - Date.parse(entry.receivedAt) < olderThanMs) continue;
      const queue = await this.options.route(entry);
      const { queued } = await this.options.jobs.send<ReplyJob>(queue, { id: entry.id, recovered: true }, { key: entry.id });
      if (queued) sent += 1;
    }
    return sent;
  }

  /** Runs `recover(olderThanMs)` every `everyMs` until `stopRecovery`. */
  startRecovery(everyMs: number, olderThanMs: number): void {
    this.sweeper ??= setInterval(() => {
      this.recover(olderThanMs)
        .then((sent) => sent > 0 && this.options.logger.info(`Recovery: sent ${sent} reply job(s) for answers left pending.`))
        .catch((error: Error) => this.options.logger.error(`Recovery of pending answers failed: ${error.message}`));
    }, everyMs);
    this.sweeper.unref();
  }

  stopRecovery(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** Resolves when the embedded queue has nothing queued or running (tests and benchmarks). */
  async idle(): Promise<void> {
    await this.options.jobs.idle?.();
  }

  private async run(job: ReplyJob, context: JobContext, handle: InboxHandler): Promise<void> {
    const entry = await this.options.inbox.pendingEntry(job.id);
    // Already handled (a job sent again after the entry was completed): nothing to do.
    if (!entry) return;
    const { signal } = context;
    // One person's replies in one thread are handled in the order they arrived (within this worker).
    const key = `${entry.channel}\u0000${entry.threadTs}\u0000${entry.userId}`;
    await this.serial.run(key, () => {
      signal.throwIfAborted();
      return handle(entry, { attempt: context.attempt, mayBeDone: context.mayBeDone || Boolean(job.recovered), signal });
    });
    signal.throwIfAborted();
    await this.options.inbox.complete(entry.id);
  }
}

/** Code answers go to the judge queue (workers with the sandbox); everything else is graded as text. */
export function replyQueueFor(bank: QuestionBank, questionId: string): ReplyQueue {
  return bank.find(questionId)?.question.coding ? "judge" : "grade";
}
