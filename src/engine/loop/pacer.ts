import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { systemClock, type Clock } from "../schedule/clock.js";
import type { RoundTimer } from "./conductor.js";
import type { DueRound, LoopService } from "./service.js";
import { noTelemetry, type Telemetry } from "../telemetry.js";

export interface LoopPacerLogger {
  info(message: string): void;
  error(message: string): void;
}

export interface LoopPacerOptions {
  service: LoopService;
  /** Opens the loop's next round: LoopConductor.roundDue, which re-reads the loop and does nothing if it moved on. */
  onDue: (due: DueRound) => Promise<void>;
  clock?: Clock;
  logger?: LoopPacerLogger;
  /** First retry delay after a failed post; doubles per attempt. */
  retryMs?: number;
  maxAttempts?: number;
  /** Counts failed posts (queue "loop"; default: nothing). */
  telemetry?: Telemetry;
  /**
   * Several instances share the loops (PostgreSQL): a round is claimed in its loop document with this
   * instance's id and a lease before it is posted, so two instances never post it both and a dead
   * instance's round is taken over; the waiting loops are re-read every `refreshMs`.
   */
  multiInstance?: boolean;
  instanceId?: string;
  leaseMs?: number;
  refreshMs?: number;
}

/** Longest sleep without looking at the clock again (laptop sleep, clock changes). */
const MAX_SLEEP_MS = 5 * 60_000;
const DEFAULT_LEASE_MS = 45_000;
const DEFAULT_REFRESH_MS = 60_000;

/**
 * Posts the next round of loops paced one round a day when it comes due. What is due lives in the loop
 * files (`nextRoundDueAt`), so after a restart `start()` picks every waiting loop up again, and a round
 * that fell due while the app was down is posted at once.
 */
export class LoopPacer implements RoundTimer {
  private readonly clock: Clock;
  private readonly logger: LoopPacerLogger;
  private readonly upcoming = new Map<string, DueRound & { attempts: number }>();
  private readonly tasks = new Set<Promise<void>>();
  private timer: unknown;
  private refreshTimer: unknown;
  private started = false;
  private stopped = false;

  constructor(private readonly options: LoopPacerOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? console;
  }

  private get instanceId(): string {
    return (this.generatedId ??= this.options.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`);
  }
  private generatedId: string | undefined;

  /** Loads the loops waiting for a round (createEngine verified every document before). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const due of await this.options.service.waitingRounds()) this.upcoming.set(due.userId, { ...due, attempts: 0 });
    if (this.upcoming.size > 0) this.logger.info(`loop: ${this.upcoming.size} mock loop(s) waiting for their next round`);
    this.arm();
    this.armRefresh();
  }

  /** Multi-instance: loops paced on another instance (or left by a dead one) are learnt from the store. */
  private armRefresh(): void {
    if (!this.options.multiInstance || this.stopped) return;
    this.refreshTimer = this.clock.setTimer(() => {
      this.refreshTimer = undefined;
      if (this.stopped) return;
      const task = this.options.service
        .waitingRounds()
        .then((waiting) => {
          for (const due of waiting) if (!this.upcoming.has(due.userId)) this.upcoming.set(due.userId, { ...due, attempts: 0 });
          this.arm();
        })
        .catch((error: Error) => this.logger.error(`loop: could not re-read the waiting loops: ${error.message}`))
        .finally(() => {
          this.tasks.delete(task);
          this.armRefresh();
        });
      this.tasks.add(task);
    }, this.options.refreshMs ?? DEFAULT_REFRESH_MS);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    if (this.refreshTimer !== undefined) this.clock.clearTimer(this.refreshTimer);
    this.timer = undefined;
    this.refreshTimer = undefined;
  }

  /** A round ended under daily pacing: post the next one at `dueAt`. One loop per person, so the person is the key. */
  schedule(due: DueRound): void {
    this.upcoming.set(due.userId, { ...due, attempts: 0 });
    this.arm();
  }

  cancel(userId: string): void {
    this.upcoming.delete(userId);
    this.arm();
  }

  /** When the person's next round is due, if one is waiting. */
  dueAt(userId: string): Date | undefined {
    return this.upcoming.get(userId)?.dueAt;
  }

  /** Resolves when no post started by the pacer is running (tests). */
  async idle(): Promise<void> {
    while (this.tasks.size > 0) await Promise.all([...this.tasks]);
  }

  private arm(): void {
    if (!this.started || this.stopped) return;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    if (this.upcoming.size === 0) return;
    const now = this.clock.now().getTime();
    let earliest = Infinity;
    for (const due of this.upcoming.values()) earliest = Math.min(earliest, due.dueAt.getTime());
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      this.tick();
    }, Math.min(MAX_SLEEP_MS, Math.max(0, earliest - now)));
  }

  private tick(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    for (const [userId, due] of this.upcoming) {
      if (due.dueAt > now) continue;
      this.upcoming.delete(userId);
      const task = this.post(due).finally(() => this.tasks.delete(task));
      this.tasks.add(task);
    }
    this.arm();
  }

  private async post(due: DueRound & { attempts: number }): Promise<void> {
    try {
      if (this.options.multiInstance) {
        const now = this.clock.now();
        const claim = await this.options.service.claimRound(due, this.instanceId, now, new Date(now.getTime() + (this.options.leaseMs ?? DEFAULT_LEASE_MS)));
        if (claim.kind === "gone") return;
        if (claim.kind === "held") {
          // Another instance is posting it; if that instance dies, the round is ours once its lease runs out.
          if (!this.upcoming.has(due.userId)) this.upcoming.set(due.userId, { ...due, dueAt: new Date(claim.until.getTime() + 1_000) });
          this.arm();
          return;
        }
      }
      await this.options.onDue(due);
    } catch (error) {
      (this.options.telemetry ?? noTelemetry).jobFailed("loop");
      const attempts = due.attempts + 1;
      const maxAttempts = this.options.maxAttempts ?? 5;
      if (attempts >= maxAttempts || this.stopped) {
        this.logger.error(
          `loop: could not post the next round of ${due.loopId} for ${due.userId} after ${attempts} attempt(s): ${(error as Error).message}; ` +
            "it will be posted at the next start-up or when they run /interview loop",
        );
        return;
      }
      const retryAt = new Date(this.clock.now().getTime() + (this.options.retryMs ?? 30_000) * 2 ** (attempts - 1));
      this.logger.error(`loop: posting the next round of ${due.loopId} failed (${(error as Error).message}); retrying at ${retryAt.toISOString()}`);
      if (!this.upcoming.has(due.userId)) this.upcoming.set(due.userId, { ...due, dueAt: retryAt, attempts });
      this.arm();
    }
  }
}
