import type { Clock } from "./clock.js";

/**
 * How fast scheduled questions go out. Slack documents chat.postMessage as "one message per second
 * per channel" plus an unpublished workspace-wide limit, and answers excess with HTTP 429 and a
 * Retry-After. So: a token bucket across all channels, a minimum gap per channel, a few posts in
 * flight, and on a 429 a pause of exactly Retry-After for the scope it applies to.
 */
export interface PacingOptions {
  /** Sustained sends per second across all channels. */
  ratePerSecond: number;
  /** Sends allowed back-to-back before the sustained rate applies. */
  burst: number;
  /** Minimum gap between two sends to the same channel. */
  perChannelIntervalMs: number;
  /** Sends in flight at once (each is a network round trip or two). */
  concurrency: number;
}

export const DEFAULT_PACING: PacingOptions = {
  ratePerSecond: 5,
  burst: 10,
  perChannelIntervalMs: 1_000,
  concurrency: 4,
};

export type JobResult =
  | { kind: "done" }
  /** Finished without sending anything (another instance had done it): its send goes back to the bucket. */
  | { kind: "nothing-sent" }
  /** Nothing was sent because someone else holds the job for now: look again after `afterMs`, unpaced. */
  | { kind: "later"; afterMs: number }
  /** The platform said 429: nothing was sent; try this job again once the limit has passed. */
  | { kind: "rate-limited"; retryAfterMs: number; scope: "channel" | "method" }
  /** Something transient failed: try again after a back-off. */
  | { kind: "retry"; afterMs: number };

export interface QueueJob {
  /** Unique while queued: pushing the same id twice is a no-op (one delivery per subscriber and slot). */
  id: string;
  /** Jobs sharing a channel key are spaced by `perChannelIntervalMs`. */
  channelKey: string;
}

export interface QueueStats {
  completed: number;
  /** Jobs that ended or were put off without a send (another instance held or had finished them). */
  nothingSent: number;
  rateLimited: number;
  retried: number;
  maxQueued: number;
}

interface Delayed<J> {
  job: J;
  at: number;
  seq: number;
}

/** A paced, retrying work queue. Waiting never blocks: every wait is a timer on the injected clock. */
export class SendQueue<J extends QueueJob> {
  private ready: J[] = [];
  private readyHead = 0;
  private delayed: Delayed<J>[] = [];
  private readonly ids = new Set<string>();
  private running = 0;
  private tokens: number;
  private lastRefill: number;
  private pausedUntil = 0;
  private readonly channelNext = new Map<string, number>();
  private timer: unknown;
  private timerAt = Infinity;
  private seq = 0;
  private stopped = false;
  private idleWaiters: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];
  readonly stats: QueueStats = { completed: 0, nothingSent: 0, rateLimited: 0, retried: 0, maxQueued: 0 };
  /** The channel's previous "free at" for each running job, restored when the job sent nothing. */
  private readonly channelBefore = new Map<string, number | undefined>();

  constructor(
    private readonly run: (job: J) => Promise<JobResult>,
    private readonly clock: Clock,
    private readonly pacing: PacingOptions,
    private readonly onError: (job: J, error: unknown) => void = () => {},
  ) {
    this.tokens = pacing.burst;
    this.lastRefill = clock.now().getTime();
  }

  /** Queues a job unless one with the same id is already queued or running. */
  push(job: J, notBefore?: Date): boolean {
    if (this.stopped || this.ids.has(job.id)) return false;
    this.ids.add(job.id);
    if (notBefore && notBefore.getTime() > this.clock.now().getTime()) this.delay(job, notBefore.getTime());
    else this.ready.push(job);
    this.stats.maxQueued = Math.max(this.stats.maxQueued, this.size);
    this.pump();
    return true;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Jobs queued, waiting or running. */
  get size(): number {
    return this.ids.size;
  }

  /** Resolves when nothing is ready to run and nothing is running (jobs waiting on a timer do not count). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops starting jobs; running ones finish on their own. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.notifyIdle();
  }

  /** Resolves when every job has finished, including those waiting for a retry (bench, shutdown). */
  drained(): Promise<void> {
    if (this.ids.size === 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /**
   * Nothing is running. Ready jobs left over after a pump can only be waiting for a timer (a 429
   * pause or an empty bucket), since the pump starts everything it may.
   */
  private isIdle(): boolean {
    return this.running === 0;
  }

  private readyCount(): number {
    return this.ready.length - this.readyHead;
  }

  private delay(job: J, at: number): void {
    const entry = { job, at, seq: this.seq++ };
    // Sorted insert (by time, then arrival) keeps retries in their original order.
    let lo = 0;
    let hi = this.delayed.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = this.delayed[mid]!;
      if (m.at < at || (m.at === at && m.seq < entry.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.delayed.splice(lo, 0, entry);
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.lastRefill) / 1000;
    this.tokens = Math.min(this.pacing.burst, this.tokens + elapsed * this.pacing.ratePerSecond);
    this.lastRefill = now;
  }

  private pump(): void {
    if (this.stopped) return;
    const now = this.clock.now().getTime();
    while (this.delayed.length > 0 && this.delayed[0]!.at <= now) this.ready.push(this.delayed.shift()!.job);
    while (this.running < this.pacing.concurrency && this.readyCount() > 0) {
      if (this.pausedUntil > now) break;
      this.refill(now);
      if (this.tokens < 1) break;
      const job = this.ready[this.readyHead]!;
      this.readyHead += 1;
      const channelFree = this.channelNext.get(job.channelKey) ?? 0;
      if (channelFree > now) {
        this.delay(job, channelFree);
        continue;
      }
      this.tokens -= 1;
      this.channelBefore.set(job.id, this.channelNext.get(job.channelKey));
      this.channelNext.set(job.channelKey, now + this.pacing.perChannelIntervalMs);
      this.running += 1;
      void this.execute(job);
    }
    this.compact(now);
    this.arm(now);
    this.notifyIdle();
  }

  private compact(now: number): void {
    if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.readyHead);
      this.readyHead = 0;
    }
    if (this.channelNext.size > 10_000) {
      for (const [key, at] of this.channelNext) if (at <= now) this.channelNext.delete(key);
    }
  }

  /** One timer for the earliest moment something could start. */
  private arm(now: number): void {
    let at = Infinity;
    if (this.readyCount() > 0 && this.running < this.pacing.concurrency) {
      if (this.pausedUntil > now) at = this.pausedUntil;
      else if (this.tokens < 1) at = now + Math.ceil(((1 - this.tokens) / this.pacing.ratePerSecond) * 1000);
    }
    if (this.delayed.length > 0) at = Math.min(at, this.delayed[0]!.at);
    if (at === this.timerAt && this.timer !== undefined) return;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    if (at === Infinity) return;
    this.timerAt = at;
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.pump();
    }, at - now);
  }

  private async execute(job: J): Promise<void> {
    let result: JobResult;
    try {
      result = await this.run(job);
    } catch (error) {
      this.onError(job, error);
      result = { kind: "done" };
    }
    this.running -= 1;
    const channelBefore = this.channelBefore.get(job.id);
    this.channelBefore.delete(job.id);
    if (this.stopped) {
      this.notifyIdle();
      return;
    }
    const now = this.clock.now().getTime();
    switch (result.kind) {
      case "done":
        this.stats.completed += 1;
        this.ids.delete(job.id);
        break;
      case "nothing-sent":
      case "later":
        // No message went out: the pacing this job took is given back to the others.
        this.stats.nothingSent += 1;
        this.tokens = Math.min(this.pacing.burst, this.tokens + 1);
        if (channelBefore === undefined) this.channelNext.delete(job.channelKey);
        else this.channelNext.set(job.channelKey, channelBefore);
        if (result.kind === "later") this.delay(job, now + result.afterMs);
        else this.ids.delete(job.id);
        break;
      case "rate-limited": {
        this.stats.rateLimited += 1;
        const until = now + result.retryAfterMs;
        if (result.scope === "method") {
          this.pausedUntil = Math.max(this.pausedUntil, until);
          // No burst straight after the pause: that is what got us limited.
          this.tokens = 0;
          this.lastRefill = Math.max(this.lastRefill, until);
        } else {
          this.channelNext.set(job.channelKey, Math.max(this.channelNext.get(job.channelKey) ?? 0, until));
        }
        this.delay(job, until);
        break;
      }
      case "retry":
        this.stats.retried += 1;
        this.delay(job, now + result.afterMs);
        break;
    }
    this.pump();
  }

  private notifyIdle(): void {
    if (this.drainWaiters.length > 0 && (this.ids.size === 0 || this.stopped)) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const resolve of waiters) resolve();
    }
    if (this.idleWaiters.length === 0 || !this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
