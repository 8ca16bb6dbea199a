import { randomUUID } from "node:crypto";
import type { QuestionRef } from "../content/bank.js";
import type { InterviewService } from "../interview/service.js";
import type { Random } from "../interview/selection.js";
import { systemClock, type Clock } from "./clock.js";
import { DeliveryError, deliveryTarget, type Deliverer } from "./deliverer.js";
import { NoSubscriptionError, ScheduleNotAllowedError } from "./errors.js";
import { activeFocus, addFocus, markFocusServed, type FocusRequest } from "./focus.js";
import { isFinal, lastDeliveredRound, ledgerEntry, pruneLedger, unfinished } from "./ledger.js";
import {
  subscriberKeyString,
  type LedgerEntry,
  type SubscriberDoc,
  type SubscriberKey,
  type Subscription,
} from "./records.js";
import type { ScheduleStore } from "./schedule-store.js";
import { pickScheduledQuestion } from "./selection.js";
import { DEFAULT_PACING, SendQueue, type JobResult, type PacingOptions } from "./send-queue.js";
import { latestSlot, nextDelivery, type Slot } from "./slots.js";
import type { TimeOfDay } from "./time-of-day.js";
import { isValidTimeZone, localDate } from "./zones.js";
import { noTelemetry, type DeliveryOutcome, type Telemetry } from "../telemetry.js";

export interface ScheduleLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface DailySchedulerOptions {
  store: ScheduleStore;
  interview: InterviewService;
  deliverer: Deliverer;
  /**
   * A person's current IANA zone (Slack: users.info → tz), undefined when unknown. Called when a
   * person's slot comes due, so it should be cached by the caller and refreshed on profile changes.
   */
  timeZoneOf: (userId: string) => Promise<string | undefined>;
  /** Users who may change any channel's schedule (ADMIN_USER_IDS), besides workspace admins. */
  adminUserIds?: readonly string[];
  clock?: Clock;
  pacing?: Partial<PacingOptions>;
  logger?: ScheduleLogger;
  random?: Random;
  /** Zone used when a person's zone cannot be looked up. */
  defaultTimeZone?: string;
  /** Transient failures (network, 5xx) are retried this many times, with back-off, before the slot is given up. */
  maxAttempts?: number;
  /** Counts delivery outcomes and failed jobs (queue "deliver"; default: nothing). */
  telemetry?: Telemetry;
}

/** Who is changing a schedule, for the channel permission rule. */
export interface Actor {
  userId: string;
  /** Workspace admin or owner, as the adapter learnt from Slack. */
  isWorkspaceAdmin?: boolean;
}

export interface ScheduleView {
  key: SubscriberKey;
  subscription?: Subscription;
  tz: string;
  /** The next slot that will actually be delivered (after any pause). */
  next?: Slot;
}

interface DeliveryJob {
  id: string;
  channelKey: string;
  key: SubscriberKey;
  slot: Slot;
  /** A post for this slot may already exist (crash, ambiguous failure): look before posting. */
  needsCheck: boolean;
  attempts: number;
}

interface Upcoming {
  key: SubscriberKey;
  slot: Slot;
}

/** Longest the scheduler sleeps without looking at the clock again (laptop sleep, clock changes). */
const MAX_SLEEP_MS = 5 * 60_000;
/** How far back a crashed delivery's post is searched for, before its `startedAt`. */
const FIND_SLACK_MS = 60_000;

/**
 * Delivers each subscriber's daily question exactly once per slot, in the subscriber's timezone.
 *
 * Exactly-once rests on a per-subscriber ledger written before anything is posted:
 *   1. the slot's entry is written as "sending" with the chosen question and a unique token;
 *   2. the question is posted with the token in its metadata → entry "posted" with channel + ts;
 *   3. the thread is recorded (replies become answers) → entry "sent".
 * After a crash, "posted" entries finish step 3; "sending" entries ask the Deliverer whether a
 * message with the token exists (found → step 3; not found → post now if it is still that day for
 * the subscriber, else skip). A slot with no entry that came due while the process was down is
 * sent on start if it is still the same local day for the subscriber, else skipped.
 */
export class DailyScheduler {
  private readonly clock: Clock;
  private readonly logger: ScheduleLogger;
  private readonly random: Random;
  private readonly defaultTimeZone: string;
  private readonly maxAttempts: number;
  private readonly telemetry: Telemetry;
  private readonly queue: SendQueue<DeliveryJob>;
  private readonly upcoming = new Map<string, Upcoming>();
  private readonly tasks = new Set<Promise<unknown>>();
  private timer: unknown;
  private timerAt = Infinity;
  private started = false;
  private stopped = false;

  constructor(private readonly options: DailySchedulerOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? console;
    this.random = options.random ?? Math.random;
    this.defaultTimeZone = options.defaultTimeZone ?? "UTC";
    this.maxAttempts = options.maxAttempts ?? 5;
    this.telemetry = options.telemetry ?? noTelemetry;
    this.queue = new SendQueue<DeliveryJob>(
      (job) => this.runJob(job),
      this.clock,
      { ...DEFAULT_PACING, ...options.pacing },
      (job, error) => {
        this.telemetry.jobFailed("deliver");
        this.telemetry.deliveryOutcome("failed");
        this.logger.error(`daily: delivery to ${subscriberKeyString(job.key)} for ${job.slot.key} failed: ${errorText(error)}`);
      },
    );
  }

  get stats() {
    return { ...this.queue.stats, queued: this.queue.size, subscribers: this.upcoming.size };
  }

  // ---------- lifecycle ----------

  /** Loads every subscription, finishes deliveries a crash interrupted, catches up today's missed slots. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const docs = await this.options.store.all();
    const now = this.clock.now();
    for (const doc of docs) {
      const key = { kind: doc.data.kind, id: doc.data.id };
      for (const entry of unfinished(doc.data)) {
        this.enqueue(key, doc.data, { at: new Date(entry.dueAt), key: entry.slot, tz: entry.tz }, true);
      }
      if (doc.data.subscription) this.catchUp(key, doc.data, now, "start");
    }
    this.logger.info(`daily: ${this.upcoming.size} active schedule(s), ${this.queue.size} delivery(ies) to finish or catch up`);
    this.arm();
  }

  /** Stops timers and starts no new deliveries; in-flight posts finish on their own. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.queue.stop();
  }

  /** Resolves when no delivery is running or ready to run (tests step a manual clock with this). */
  async idle(): Promise<void> {
    for (;;) {
      await Promise.all([...this.tasks]);
      await this.queue.idle();
      if (this.tasks.size === 0) return;
    }
  }

  /** Resolves when every queued delivery has finished, including ones waiting for a Retry-After. */
  async drained(): Promise<void> {
    for (;;) {
      await Promise.all([...this.tasks]);
      await this.queue.drained();
      if (this.tasks.size === 0 && this.queue.size === 0) return;
      if (this.stopped) return;
    }
  }

  // ---------- commands ----------

  /** The schedule and its next delivery. */
  async view(key: SubscriberKey): Promise<ScheduleView> {
    const doc = await this.options.store.peek(key);
    const tz = doc?.tz ?? this.defaultTimeZone;
    const subscription = doc?.subscription;
    const next = subscription ? nextDelivery(subscription, tz, this.clock.now()) : undefined;
    return { key, subscription, tz, next };
  }

  /** Creates or replaces a schedule. For a channel, `actor` becomes the owner when creating it. */
  async subscribe(input: {
    key: SubscriberKey;
    actor: Actor;
    time: TimeOfDay;
    days: readonly number[];
    rounds: readonly string[];
    /**
     * The DM channel with the person, when the caller already knows it (Slack: opened while handling
     * the command). Cached so fan-outs need no conversations.open, which is a Tier 3 method.
     */
    dmChannel?: string;
  }): Promise<ScheduleView> {
    const { key, actor } = input;
    const doc = await this.options.store.open(key);
    if (key.kind === "user" && input.dmChannel) doc.data.dmChannel = input.dmChannel;
    const existing = doc.data.subscription;
    if (existing) this.assertMayChange(key, existing, actor);
    const now = this.clock.now();
    // A channel runs on its owner's clock; changing it re-anchors it to whoever changes it.
    const tz = await this.lookupZone(key.kind === "user" ? key.id : actor.userId);
    if (tz) doc.data.tz = tz;
    doc.data.tz ??= this.defaultTimeZone;
    doc.data.subscription = {
      time: { ...input.time },
      days: [...input.days].sort((a, b) => a - b),
      rounds: [...input.rounds],
      ownerId: existing?.ownerId ?? (key.kind === "user" ? key.id : actor.userId),
      createdAt: existing?.createdAt ?? now.toISOString(),
      updatedAt: now.toISOString(),
      updatedBy: actor.userId,
      effectiveFrom: now.toISOString(),
      pausedUntil: existing?.pausedUntil,
    };
    await doc.write();
    this.reschedule(key, doc.data, now);
    return this.view(key);
  }

  async unsubscribe(key: SubscriberKey, actor: Actor): Promise<void> {
    const doc = await this.options.store.open(key);
    const existing = doc.data.subscription;
    if (!existing) throw new NoSubscriptionError(key.id);
    this.assertMayChange(key, existing, actor);
    doc.data.subscription = undefined;
    await doc.write();
    this.upcoming.delete(subscriberKeyString(key));
    this.arm();
  }

  /** Skips every slot in the next `days` × 24 hours. */
  async pause(key: SubscriberKey, actor: Actor, days: number): Promise<ScheduleView> {
    return this.changePause(key, actor, new Date(this.clock.now().getTime() + days * 86_400_000));
  }

  async resume(key: SubscriberKey, actor: Actor): Promise<ScheduleView> {
    return this.changePause(key, actor, undefined);
  }

  /** Whether `actor` may change this subscriber's schedule (only the person; for channels see assertMayChange). */
  mayChange(key: SubscriberKey, subscription: Subscription | undefined, actor: Actor): boolean {
    if (key.kind === "user") return actor.userId === key.id;
    if (!subscription) return true;
    return (
      subscription.ownerId === actor.userId ||
      Boolean(actor.isWorkspaceAdmin) ||
      (this.options.adminUserIds ?? []).includes(actor.userId)
    );
  }

  /** The adapter calls this when it learns a person's zone changed (Slack `user_change`). */
  async timeZoneChanged(userId: string, tz: string): Promise<void> {
    if (!isValidTimeZone(tz)) return;
    const key: SubscriberKey = { kind: "user", id: userId };
    const existing = await this.options.store.peek(key);
    if (!existing?.subscription || existing.tz === tz) return;
    const doc = await this.options.store.open(key);
    this.logger.info(`daily: ${userId} moved from ${doc.data.tz} to ${tz}; schedule follows`);
    doc.data.tz = tz;
    await doc.write();
    this.catchUp(key, doc.data, this.clock.now(), "timezone change");
    this.arm();
  }

  /** Things to practise next (e.g. from a mock-loop debrief): selection favours them for a few questions. */
  async addFocus(userId: string, items: readonly FocusRequest[], source: string): Promise<void> {
    const valid = items.filter((i) => {
      const round = this.options.interview.bank.findRound(i.roundId);
      return round && (!i.dimensionId || round.rubric.some((d) => d.id === i.dimensionId));
    });
    if (valid.length === 0) return;
    const doc = await this.options.store.open({ kind: "user", id: userId });
    addFocus(
      doc.data,
      valid.map((i) => ({ ...i, roundId: this.options.interview.bank.findRound(i.roundId)!.id })),
      source,
      this.clock.now(),
    );
    await doc.write();
  }

  private assertMayChange(key: SubscriberKey, subscription: Subscription, actor: Actor): void {
    if (!this.mayChange(key, subscription, actor)) throw new ScheduleNotAllowedError(key.id, subscription.ownerId);
  }

  private async changePause(key: SubscriberKey, actor: Actor, until: Date | undefined): Promise<ScheduleView> {
    const doc = await this.options.store.open(key);
    const subscription = doc.data.subscription;
    if (!subscription) throw new NoSubscriptionError(key.id);
    this.assertMayChange(key, subscription, actor);
    const now = this.clock.now();
    subscription.pausedUntil = until?.toISOString();
    subscription.updatedAt = now.toISOString();
    subscription.updatedBy = actor.userId;
    // Resuming must not replay the slots that were skipped while paused.
    if (!until) subscription.effectiveFrom = now.toISOString();
    await doc.write();
    this.reschedule(key, doc.data, now);
    return this.view(key);
  }

  // ---------- timing ----------

  private zoneOf(doc: SubscriberDoc): string {
    return doc.tz && isValidTimeZone(doc.tz) ? doc.tz : this.defaultTimeZone;
  }

  private async lookupZone(userId: string): Promise<string | undefined> {
    try {
      const tz = await this.options.timeZoneOf(userId);
      return tz && isValidTimeZone(tz) ? tz : undefined;
    } catch (error) {
      this.logger.warn(`daily: could not look up the timezone of ${userId}: ${errorText(error)}`);
      return undefined;
    }
  }

  private reschedule(key: SubscriberKey, doc: SubscriberDoc, after: Date): void {
    const id = subscriberKeyString(key);
    const next = doc.subscription ? nextDelivery(doc.subscription, this.zoneOf(doc), after) : undefined;
    if (next) this.upcoming.set(id, { key, slot: next });
    else this.upcoming.delete(id);
    // Only an earlier slot needs the timer moved; a removed one is simply not found when it fires.
    if (next && next.at.getTime() < this.timerAt) this.arm();
  }

  /**
   * Start-up and zone changes: the latest slot at or before now is delivered if it is still that
   * day for the subscriber and was not settled yet; then the next slot is scheduled.
   */
  private catchUp(key: SubscriberKey, doc: SubscriberDoc, now: Date, why: string): void {
    const subscription = doc.subscription;
    if (!subscription) return;
    const tz = this.zoneOf(doc);
    const latest = latestSlot(subscription, tz, now);
    if (latest && this.slotApplies(subscription, latest) && !isFinal(ledgerEntry(doc, latest.key)) && !this.queued(key, latest)) {
      if (localDate(now, tz) === latest.key.slice(0, 10)) {
        this.logger.info(`daily: ${subscriberKeyString(key)} missed ${latest.key} (${tz}); sending now (${why})`);
        this.enqueue(key, doc, latest, ledgerEntry(doc, latest.key) !== undefined);
      } else if (new Date(subscription.effectiveFrom) <= latest.at) {
        this.logger.info(`daily: ${subscriberKeyString(key)} missed ${latest.key} (${tz}) on an earlier day; skipped (${why})`);
      }
    }
    this.reschedule(key, doc, now);
  }

  /** Not before the schedule took effect, not paused, not suspended. */
  private slotApplies(subscription: Subscription, slot: Slot): boolean {
    if (subscription.suspended) return false;
    if (slot.at < new Date(subscription.effectiveFrom)) return false;
    if (subscription.pausedUntil && slot.at < new Date(subscription.pausedUntil)) return false;
    return true;
  }

  /** One timer for the earliest upcoming slot (a full scan, done once per tick, not per subscriber). */
  private arm(): void {
    if (!this.started || this.stopped) return;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    const now = this.clock.now().getTime();
    let earliest = Infinity;
    for (const u of this.upcoming.values()) earliest = Math.min(earliest, u.slot.at.getTime());
    const wait = Math.min(MAX_SLEEP_MS, Math.max(0, earliest - now));
    this.timerAt = now + wait;
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.tick();
    }, wait);
  }

  private tick(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    for (const [id, u] of this.upcoming) {
      if (u.slot.at > now) continue;
      this.upcoming.delete(id);
      this.track(this.due(u.key, u.slot, now));
    }
    this.arm();
  }

  private track<T>(promise: Promise<T>): void {
    const tracked = promise
      .catch((error) => this.logger.error(`daily: ${errorText(error)}`))
      .finally(() => this.tasks.delete(tracked));
    this.tasks.add(tracked);
  }

  /** A slot came due: confirm the person's zone first, since it may have changed since it was computed. */
  private async due(key: SubscriberKey, slot: Slot, now: Date): Promise<void> {
    const doc = await this.options.store.open(key);
    const subscription = doc.data.subscription;
    if (!subscription) return;
    if (key.kind === "user") {
      const tz = await this.lookupZone(key.id);
      if (tz && tz !== doc.data.tz) {
        this.logger.info(`daily: ${key.id} is now in ${tz} (was ${doc.data.tz}); recomputing their slot`);
        doc.data.tz = tz;
        await doc.write();
      }
    }
    if (this.zoneOf(doc.data) !== slot.tz) {
      this.catchUp(key, doc.data, this.clock.now(), "timezone change");
      return;
    }
    if (this.slotApplies(subscription, slot) && !isFinal(ledgerEntry(doc.data, slot.key))) {
      if (localDate(now, slot.tz) === slot.key.slice(0, 10)) this.enqueue(key, doc.data, slot, ledgerEntry(doc.data, slot.key) !== undefined);
      else this.logger.info(`daily: ${subscriberKeyString(key)} ${slot.key} came due on a later day (process asleep?); skipped`);
    }
    this.reschedule(key, doc.data, slot.at);
  }

  private queued(key: SubscriberKey, slot: Slot): boolean {
    return this.queue.has(`${subscriberKeyString(key)}|${slot.key}`);
  }

  private enqueue(key: SubscriberKey, doc: SubscriberDoc, slot: Slot, needsCheck: boolean): void {
    this.queue.push({
      id: `${subscriberKeyString(key)}|${slot.key}`,
      channelKey: key.kind === "user" ? (doc.dmChannel ?? subscriberKeyString(key)) : key.id,
      key,
      slot,
      needsCheck,
      attempts: 0,
    });
  }

  // ---------- delivery ----------

  private async runJob(job: DeliveryJob): Promise<JobResult> {
    const doc = await this.options.store.open(job.key);
    const data = doc.data;
    let entry = ledgerEntry(data, job.slot.key);
    if (isFinal(entry)) return { kind: "done" };
    const now = this.clock.now();

    if (!entry) {
      // Nothing was reserved yet: the schedule may have changed while this job waited.
      const subscription = data.subscription;
      if (!subscription || !this.slotApplies(subscription, job.slot)) return { kind: "done" };
      const ref = await this.choose(job.key, data, subscription, now);
      entry = {
        slot: job.slot.key,
        dueAt: job.slot.at.toISOString(),
        tz: job.slot.tz,
        state: "sending",
        token: randomUUID(),
        questionId: ref.question.id,
        roundId: ref.round.id,
        startedAt: now.toISOString(),
      };
      pruneLedger(data, now);
      data.ledger.push(entry);
      await doc.write(); // durable BEFORE posting: a crash from here on is recoverable
    }

    const ref = this.options.interview.bank.find(entry.questionId);
    if (!ref) return this.settle(doc, entry, "skipped", `question ${entry.questionId} no longer exists`);
    const target = deliveryTarget(job.key, data.dmChannel);

    if (entry.state === "sending" && job.needsCheck) {
      let found;
      try {
        found = await this.options.deliverer.findPosted({
          target,
          token: entry.token,
          since: new Date(new Date(entry.startedAt).getTime() - FIND_SLACK_MS),
        });
      } catch (error) {
        return this.failure(job, doc, entry, error);
      }
      job.needsCheck = false;
      if (found) {
        entry.state = "posted";
        entry.channel = found.channel;
        entry.ts = found.ts;
        await doc.write();
      } else if (localDate(now, entry.tz) !== entry.slot.slice(0, 10)) {
        return this.settle(doc, entry, "skipped", "not delivered before the end of that day (process was down)");
      }
    }

    let justPosted = false;
    if (entry.state === "sending") {
      try {
        const posted = await this.options.deliverer.post({ target, ref, slot: entry.slot, token: entry.token });
        entry.state = "posted";
        entry.channel = posted.channel;
        entry.ts = posted.ts;
        if (job.key.kind === "user") data.dmChannel = posted.channel;
        justPosted = true;
      } catch (error) {
        return this.failure(job, doc, entry, error);
      }
      // "posted" is not written on the happy path (one write fewer per delivery): a crash before
      // "sent" leaves "sending" on disk, which start-up resolves by finding the message by its token.
    }

    try {
      await this.recordThread(job.key, data, entry, ref, justPosted);
    } catch (error) {
      await doc.write(); // keep "posted" so the retry only records the thread
      throw error;
    }
    if (job.key.kind === "channel") data.asked.push({ questionId: ref.question.id, at: this.clock.now().toISOString() });
    else markFocusServed(data, ref.round.id, ref.question.keyPoints.map((k) => k.dimension), this.clock.now());
    return this.settle(doc, entry, "sent");
  }

  private async settle(
    doc: { data: SubscriberDoc; write(): Promise<void> },
    entry: LedgerEntry,
    state: "sent" | "skipped",
    reason?: string,
    outcome: DeliveryOutcome = state,
  ): Promise<JobResult> {
    entry.state = state;
    entry.finishedAt = this.clock.now().toISOString();
    if (reason) entry.reason = reason;
    await doc.write();
    this.telemetry.deliveryOutcome(outcome);
    if (state === "skipped") this.logger.info(`daily: ${doc.data.kind}:${doc.data.id} ${entry.slot} skipped: ${reason}`);
    return { kind: "done" };
  }

  private async failure(
    job: DeliveryJob,
    doc: { data: SubscriberDoc; write(): Promise<void> },
    entry: LedgerEntry,
    error: unknown,
  ): Promise<JobResult> {
    if (error instanceof DeliveryError && error.kind === "rate-limited") {
      this.telemetry.deliveryOutcome("rate-limited");
      return { kind: "rate-limited", retryAfterMs: error.retryAfterMs ?? 1_000, scope: error.scope };
    }
    if (error instanceof DeliveryError && error.kind === "recipient-gone") {
      const subscription = doc.data.subscription;
      if (subscription) subscription.suspended = { code: error.code, at: this.clock.now().toISOString() };
      this.upcoming.delete(subscriberKeyString(job.key));
      this.logger.warn(
        `daily: ${subscriberKeyString(job.key)} is unreachable (${error.code}: left, deactivated or closed the conversation); ` +
          `their schedule is paused until they set it again`,
      );
      return this.settle(doc, entry, "skipped", `recipient unreachable: ${error.code}`);
    }
    job.attempts += 1;
    this.telemetry.jobFailed("deliver");
    const retryable = !(error instanceof DeliveryError) || error.retryable;
    if (!retryable || job.attempts >= this.maxAttempts) {
      this.logger.error(`daily: giving up on ${subscriberKeyString(job.key)} ${entry.slot} after ${job.attempts} attempt(s): ${errorText(error)}`);
      return this.settle(doc, entry, "skipped", `delivery failed: ${errorText(error)}`, "failed");
    }
    // The post may or may not have gone out (a timeout, a dropped connection): look before retrying.
    job.needsCheck = true;
    this.telemetry.deliveryOutcome("retried");
    return { kind: "retry", afterMs: Math.min(60_000, 2_000 * 2 ** (job.attempts - 1)) };
  }

  private async choose(key: SubscriberKey, doc: SubscriberDoc, subscription: Subscription, now: Date): Promise<QuestionRef> {
    const { bank, store } = this.options.interview;
    const resolved = subscription.rounds.map((r) => bank.findRound(r)).filter((r) => r !== undefined);
    const rounds = resolved.length > 0 ? resolved : bank.rounds;
    const history = key.kind === "user" ? await store.peekUser(key.id) : undefined;
    return pickScheduledQuestion({
      rounds,
      asked: key.kind === "user" ? (history?.asked ?? []) : doc.asked,
      answers: history?.answers ?? [],
      focus: key.kind === "user" ? activeFocus(doc, now) : [],
      lastRoundId: lastDeliveredRound(doc),
      random: this.random,
    });
  }

  /** Makes replies in the posted thread count as answers; idempotent so crash recovery can repeat it. */
  private async recordThread(key: SubscriberKey, doc: SubscriberDoc, entry: LedgerEntry, ref: QuestionRef, justPosted: boolean): Promise<void> {
    const interview = this.options.interview;
    const threadKey = { channel: entry.channel!, ts: entry.ts! };
    // A message posted a moment ago cannot have a thread record yet; after a crash it may.
    if (!justPosted && (await interview.thread(threadKey))) return;
    if (key.kind === "user") {
      await interview.questionPosted({ key: threadKey, ref, askedBy: key.id, audience: "dm", origin: "daily" });
    } else {
      // A channel question belongs to no one person's history; it is recorded under the owner.
      await interview.store.createThread({
        ...threadKey,
        questionId: ref.question.id,
        roundId: ref.round.id,
        askedBy: doc.subscription?.ownerId ?? key.id,
        audience: "channel",
        origin: "daily",
        createdAt: this.clock.now().toISOString(),
      });
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
