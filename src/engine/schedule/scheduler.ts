import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
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
  /**
   * Several instances run this scheduler over one shared store (PostgreSQL). Each then honours the
   * others' leases on slots they are delivering and re-reads every subscriber document every
   * `refreshMs` to learn of schedules changed elsewhere and of slots a dead instance left. Off (one
   * process, embedded): whatever is unfinished at start-up was left by this process's predecessor.
   */
  multiInstance?: boolean;
  /** Names this instance in the ledger's `owner` (default: host, pid and a random suffix). */
  instanceId?: string;
  /** How long a claimed slot stays this instance's without being renewed (renewed at each attempt). */
  leaseMs?: number;
  /** Multi-instance: how often subscriber documents are re-read. */
  refreshMs?: number;
}

/** What claiming a slot found, decided inside one atomic update of the subscriber's document. */
type Claim =
  | { kind: "claimed"; entry: LedgerEntry; checkFirst: boolean; dmChannel?: string; ownerId?: string }
  | { kind: "held"; until: Date }
  | { kind: "settled" };

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
 * A killed instance's slot is taken over once its lease runs out: within a minute. Longer than a post
 * can take (conversations.open + chat.postMessage, 15 s timeout each), so a live owner's post is never
 * still in flight when another instance looks for it and posts.
 */
export const DEFAULT_LEASE_MS = 45_000;
/** Re-reading every subscriber is one query each on PostgreSQL: often enough to follow changes, rarely enough to stay cheap. */
export const DEFAULT_REFRESH_MS = 60_000;
/** Another instance's lease is looked at again this long after it should have run out. */
const LEASE_MARGIN_MS = 1_000;
/**
 * ... or sooner: a slot held by another instance is usually finished long before its lease ends (leases
 * are renewed past a Retry-After), and the job waiting for it should leave this queue when it is.
 */
const HELD_RECHECK_MS = 5_000;

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
 *
 * Several instances (multiInstance) share the ledger: an instance claims a slot by writing its entry
 * (or renewing it) with its id and a lease in one atomic update of the subscriber's document, just
 * before posting; an instance that finds another's live lease leaves the slot alone and looks again
 * when the lease should have run out; one that finds it expired takes the slot over and, as after a
 * crash, looks for the post by its token before posting. Every ledger change is such an update, so no
 * instance overwrites another's.
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
  private readonly multiInstance: boolean;
  readonly instanceId: string;
  private readonly leaseMs: number;
  private readonly refreshMs: number;
  private refreshTimer: unknown;
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
    this.multiInstance = options.multiInstance ?? false;
    this.instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.refreshMs = options.refreshMs ?? DEFAULT_REFRESH_MS;
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
    this.load(await this.options.store.snapshot(), this.clock.now(), "start");
    this.logger.info(`daily: ${this.upcoming.size} active schedule(s), ${this.queue.size} delivery(ies) to finish or catch up`);
    this.arm();
    this.armRefresh();
  }

  /**
   * Takes in subscriber documents as they are in the store: unfinished deliveries (a crash's, or
   * in multi-instance mode another instance's, which the claim leaves alone while its lease lives),
   * today's missed slots, and the next slot of every schedule.
   */
  private load(docs: readonly SubscriberDoc[], now: Date, why: string): void {
    const present = new Set<string>();
    for (const doc of docs) {
      const key = { kind: doc.kind, id: doc.id };
      present.add(subscriberKeyString(key));
      for (const entry of unfinished(doc)) {
        const slot = { at: new Date(entry.dueAt), key: entry.slot, tz: entry.tz };
        if (!this.queued(key, slot)) this.enqueue(key, doc, slot, true);
      }
      if (doc.subscription) this.catchUp(key, doc, now, why);
      else this.upcoming.delete(subscriberKeyString(key));
    }
    for (const id of this.upcoming.keys()) if (!present.has(id)) this.upcoming.delete(id);
  }

  /** Multi-instance: re-reads every subscriber document now and then (changes made on other instances). */
  private armRefresh(): void {
    if (!this.multiInstance || this.stopped) return;
    this.refreshTimer = this.clock.setTimer(() => {
      this.refreshTimer = undefined;
      if (this.stopped) return;
      this.track(
        this.options.store
          .snapshot()
          .then((docs) => {
            if (this.stopped) return;
            this.load(docs, this.clock.now(), "refresh");
            this.arm();
          })
          .finally(() => this.armRefresh()),
      );
    }, this.refreshMs);
  }

  /** Stops timers and starts no new deliveries; in-flight posts finish on their own. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    if (this.refreshTimer !== undefined) this.clock.clearTimer(this.refreshTimer);
    this.timer = undefined;
    this.refreshTimer = undefined;
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
    const before = await this.options.store.peek(key);
    if (before?.subscription) this.assertMayChange(key, before.subscription, actor);
    // A channel runs on its owner's clock; changing it re-anchors it to whoever changes it.
    const tz = await this.lookupZone(key.kind === "user" ? key.id : actor.userId);
    const now = this.clock.now();
    const { data } = await this.options.store.update(key, (draft) => {
      const existing = draft.subscription;
      // Checked again on the document as it is now: another instance may have changed it meanwhile.
      if (existing) this.assertMayChange(key, existing, actor);
      if (key.kind === "user" && input.dmChannel) draft.dmChannel = input.dmChannel;
      if (tz) draft.tz = tz;
      draft.tz ??= this.defaultTimeZone;
      draft.subscription = {
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
    });
    this.reschedule(key, data, now);
    return this.view(key);
  }

  async unsubscribe(key: SubscriberKey, actor: Actor): Promise<void> {
    await this.options.store.update(key, (draft) => {
      const existing = draft.subscription;
      if (!existing) throw new NoSubscriptionError(key.id);
      this.assertMayChange(key, existing, actor);
      draft.subscription = undefined;
    });
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
    const { data } = await this.options.store.update(key, (draft) => {
      draft.tz = tz;
    });
    this.logger.info(`daily: ${userId} moved from ${existing.tz} to ${tz}; schedule follows`);
    this.catchUp(key, data, this.clock.now(), "timezone change");
    this.arm();
  }

  /** Things to practise next (e.g. from a mock-loop debrief): selection favours them for a few questions. */
  async addFocus(userId: string, items: readonly FocusRequest[], source: string): Promise<void> {
    const valid = items.filter((i) => {
      const round = this.options.interview.bank.findRound(i.roundId);
      return round && (!i.dimensionId || round.rubric.some((d) => d.id === i.dimensionId));
    });
    if (valid.length === 0) return;
    const now = this.clock.now();
    await this.options.store.update({ kind: "user", id: userId }, (draft) =>
      addFocus(
        draft,
        valid.map((i) => ({ ...i, roundId: this.options.interview.bank.findRound(i.roundId)!.id })),
        source,
        now,
      ),
    );
  }

  private assertMayChange(key: SubscriberKey, subscription: Subscription, actor: Actor): void {
    if (!this.mayChange(key, subscription, actor)) throw new ScheduleNotAllowedError(key.id, subscription.ownerId);
  }

  private async changePause(key: SubscriberKey, actor: Actor, until: Date | undefined): Promise<ScheduleView> {
    const now = this.clock.now();
    const { data } = await this.options.store.update(key, (draft) => {
      const subscription = draft.subscription;
      if (!subscription) throw new NoSubscriptionError(key.id);
      this.assertMayChange(key, subscription, actor);
      subscription.pausedUntil = until?.toISOString();
      subscription.updatedAt = now.toISOString();
      subscription.updatedBy = actor.userId;
      // Resuming must not replay the slots that were skipped while paused.
      if (!until) subscription.effectiveFrom = now.toISOString();
    });
    this.reschedule(key, data, now);
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
    // The refresh finds every slot other instances are still delivering: not worth a line each.
    const quiet = why === "refresh";
    if (latest && this.slotApplies(subscription, latest) && !isFinal(ledgerEntry(doc, latest.key)) && !this.queued(key, latest)) {
      if (localDate(now, tz) === latest.key.slice(0, 10)) {
        if (!quiet) this.logger.info(`daily: ${subscriberKeyString(key)} missed ${latest.key} (${tz}); sending now (${why})`);
        this.enqueue(key, doc, latest, ledgerEntry(doc, latest.key) !== undefined);
      } else if (!quiet && new Date(subscription.effectiveFrom) <= latest.at) {
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
    let doc = await this.options.store.peek(key);
    if (!doc?.subscription) return;
    if (key.kind === "user") {
      const tz = await this.lookupZone(key.id);
      if (tz && tz !== doc.tz) {
        this.logger.info(`daily: ${key.id} is now in ${tz} (was ${doc.tz}); recomputing their slot`);
        ({ data: doc } = await this.options.store.update(key, (draft) => {
          draft.tz = tz;
        }));
      }
    }
    const subscription = doc.subscription;
    if (!subscription) return;
    if (this.zoneOf(doc) !== slot.tz) {
      this.catchUp(key, doc, this.clock.now(), "timezone change");
      return;
    }
    if (this.slotApplies(subscription, slot) && !isFinal(ledgerEntry(doc, slot.key))) {
      if (localDate(now, slot.tz) === slot.key.slice(0, 10)) this.enqueue(key, doc, slot, ledgerEntry(doc, slot.key) !== undefined);
      else this.logger.info(`daily: ${subscriberKeyString(key)} ${slot.key} came due on a later day (process asleep?); skipped`);
    }
    this.reschedule(key, doc, slot.at);
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

  /** Whether another instance holds this entry under a lease that has not run out. */
  private heldElsewhere(entry: LedgerEntry, now: Date): boolean {
    return (
      this.multiInstance &&
      entry.owner !== undefined &&
      entry.owner !== this.instanceId &&
      entry.leaseUntil !== undefined &&
      new Date(entry.leaseUntil) > now
    );
  }

  /** Put off while another instance holds the slot; looked at again just after its lease should end. */
  private later(until: Date, now: Date): JobResult {
    return { kind: "later", afterMs: Math.min(HELD_RECHECK_MS, Math.max(0, until.getTime() - now.getTime()) + LEASE_MARGIN_MS) };
  }

  /**
   * A store that failed (database unreachable, disk error) leaves the slot as it was: try again with a
   * back-off, looking for the post first in case it went out before the failure.
   */
  private async runJob(job: DeliveryJob): Promise<JobResult> {
    try {
      return await this.deliver(job);
    } catch (error) {
      job.attempts += 1;
      job.needsCheck = true;
      if (job.attempts >= this.maxAttempts) throw error;
      const afterMs = Math.min(60_000, 2_000 * 2 ** (job.attempts - 1));
      this.logger.warn(`daily: ${subscriberKeyString(job.key)} ${job.slot.key}: ${errorText(error)}; trying again in ${afterMs / 1000} s`);
      return { kind: "retry", afterMs };
    }
  }

  private async deliver(job: DeliveryJob): Promise<JobResult> {
    const now = this.clock.now();
    // A plain read first: most jobs another instance already finished end here, without a write.
    const current = await this.options.store.peek(job.key);
    const seen = current && ledgerEntry(current, job.slot.key);
    if (isFinal(seen)) return { kind: "nothing-sent" };
    if (seen && this.heldElsewhere(seen, now)) return this.later(new Date(seen.leaseUntil!), now);
    let ref: QuestionRef | undefined;
    if (!seen) {
      // Nothing was reserved yet: the schedule may have changed while this job waited.
      const subscription = current?.subscription;
      if (!current || !subscription || !this.slotApplies(subscription, job.slot)) return { kind: "nothing-sent" };
      ref = await this.choose(job.key, current, subscription, now);
    }

    const claim = await this.claim(job, ref, now);
    if (claim.kind === "settled") return { kind: "nothing-sent" };
    if (claim.kind === "held") return this.later(claim.until, now);
    const { entry } = claim;
    if (claim.checkFirst) job.needsCheck = true;

    const question = this.options.interview.bank.find(entry.questionId);
    if (!question) return this.settle(job.key, entry, "skipped", `question ${entry.questionId} no longer exists`);
    const target = deliveryTarget(job.key, claim.dmChannel);

    if (entry.state === "sending" && job.needsCheck) {
      let found;
      try {
        found = await this.options.deliverer.findPosted({
          target,
          token: entry.token,
          since: new Date(new Date(entry.startedAt).getTime() - FIND_SLACK_MS),
        });
      } catch (error) {
        return this.failure(job, entry, error);
      }
      job.needsCheck = false;
      if (found) {
        entry.state = "posted";
        entry.channel = found.channel;
        entry.ts = found.ts;
        await this.changeEntry(job.key, entry, (_, e) => Object.assign(e, { state: "posted", channel: found.channel, ts: found.ts }));
      } else if (localDate(now, entry.tz) !== entry.slot.slice(0, 10)) {
        return this.settle(job.key, entry, "skipped", "not delivered before the end of that day (process was down)");
      }
    }

    let justPosted = false;
    if (entry.state === "sending") {
      // The look-up may have taken a while: renew first, and post only if the slot is still ours.
      if (this.clock.now().getTime() - now.getTime() > this.leaseMs / 3 && !(await this.renewLease(job.key, entry, 0))) {
        return { kind: "nothing-sent" };
      }
      try {
        const posted = await this.options.deliverer.post({ target, ref: question, slot: entry.slot, token: entry.token });
        entry.state = "posted";
        entry.channel = posted.channel;
        entry.ts = posted.ts;
        justPosted = true;
      } catch (error) {
        return this.failure(job, entry, error);
      }
      // "posted" is not written on the happy path (one write fewer per delivery): a crash before
      // "sent" leaves "sending" on disk, which start-up resolves by finding the message by its token.
    }

    const recordPosted = (draft: SubscriberDoc, e: LedgerEntry) => {
      Object.assign(e, { state: "posted", channel: entry.channel, ts: entry.ts });
      if (job.key.kind === "user" && justPosted) draft.dmChannel = entry.channel;
    };
    try {
      await this.recordThread(job.key, claim.ownerId, entry, question, justPosted);
    } catch (error) {
      await this.changeEntry(job.key, entry, recordPosted); // keep "posted" so the retry only records the thread
      throw error;
    }
    const at = this.clock.now();
    return this.settle(job.key, entry, "sent", undefined, (draft, e) => {
      recordPosted(draft, e);
      if (job.key.kind === "channel") draft.asked.push({ questionId: question.question.id, at: at.toISOString() });
      else markFocusServed(draft, question.round.id, question.question.keyPoints.map((k) => k.dimension), at);
    });
  }

  /**
   * Reserves the slot for this instance, in one atomic update: a new entry ("sending", with the chosen
   * question and a fresh token) or the existing unfinished one, its lease renewed. An entry another
   * instance holds under a live lease is left alone; one whose owner is someone else (a dead instance,
   * this process before a crash) is taken over and must be looked for before posting.
   */
  private async claim(job: DeliveryJob, ref: QuestionRef | undefined, now: Date): Promise<Claim> {
    const leaseUntil = new Date(now.getTime() + this.leaseMs).toISOString();
    const { result } = await this.options.store.update(job.key, (draft): Claim => {
      const existing = ledgerEntry(draft, job.slot.key);
      if (isFinal(existing)) return { kind: "settled" };
      if (existing && this.heldElsewhere(existing, now)) return { kind: "held", until: new Date(existing.leaseUntil!) };
      const found = { dmChannel: draft.dmChannel, ownerId: draft.subscription?.ownerId };
      if (existing) {
        const checkFirst = existing.owner !== this.instanceId;
        existing.owner = this.instanceId;
        existing.leaseUntil = leaseUntil;
        return { kind: "claimed", entry: { ...existing }, checkFirst, ...found };
      }
      const subscription = draft.subscription;
      // Nothing was chosen because an entry existed when we looked; it is gone only if the document was reset.
      if (!ref || !subscription || !this.slotApplies(subscription, job.slot)) return { kind: "settled" };
      const entry: LedgerEntry = {
        slot: job.slot.key,
        dueAt: job.slot.at.toISOString(),
        tz: job.slot.tz,
        state: "sending",
        token: randomUUID(),
        questionId: ref.question.id,
        roundId: ref.round.id,
        startedAt: now.toISOString(),
        owner: this.instanceId,
        leaseUntil,
      };
      pruneLedger(draft, now);
      draft.ledger.push(entry);
      return { kind: "claimed", entry: { ...entry }, checkFirst: false, ...found };
    });
    // Durable BEFORE posting: a crash from here on is recoverable, by this instance or another.
    return result;
  }

  /**
   * Changes this instance's entry for the slot, atomically. False (and nothing changed) when the
   * entry is gone, settled, or no longer ours: another instance took it over after our lease ran out.
   */
  private async changeEntry(key: SubscriberKey, entry: LedgerEntry, change: (draft: SubscriberDoc, entry: LedgerEntry) => void): Promise<boolean> {
    const { result } = await this.options.store.update(key, (draft) => {
      const e = ledgerEntry(draft, entry.slot);
      if (!e || e.token !== entry.token || isFinal(e) || e.owner !== this.instanceId) return false;
      change(draft, e);
      return true;
    });
    if (!result) this.logger.warn(`daily: ${subscriberKeyString(key)} ${entry.slot} was taken over by another instance; leaving it to it`);
    return result;
  }

  /** Keeps the slot ours while a delivery waits (Retry-After, back-off), so no other instance takes it over meanwhile. */
  private renewLease(key: SubscriberKey, entry: LedgerEntry, waitMs: number): Promise<boolean> {
    const leaseUntil = new Date(this.clock.now().getTime() + waitMs + this.leaseMs).toISOString();
    return this.changeEntry(key, entry, (_, e) => {
      e.leaseUntil = leaseUntil;
    });
  }

  private async settle(
    key: SubscriberKey,
    entry: LedgerEntry,
    state: "sent" | "skipped",
    reason?: string,
    also?: (draft: SubscriberDoc, entry: LedgerEntry) => void,
    outcome: DeliveryOutcome = state,
  ): Promise<JobResult> {
    const finishedAt = this.clock.now().toISOString();
    const changed = await this.changeEntry(key, entry, (draft, e) => {
      also?.(draft, e);
      e.state = state;
      e.finishedAt = finishedAt;
      if (reason) e.reason = reason;
    });
    if (changed) this.telemetry.deliveryOutcome(outcome);
    if (changed && state === "skipped") this.logger.info(`daily: ${subscriberKeyString(key)} ${entry.slot} skipped: ${reason}`);
    return { kind: "done" };
  }

  private async failure(job: DeliveryJob, entry: LedgerEntry, error: unknown): Promise<JobResult> {
    if (error instanceof DeliveryError && error.kind === "rate-limited") {
      const retryAfterMs = error.retryAfterMs ?? 1_000;
      this.telemetry.deliveryOutcome("rate-limited");
      // Kept for Retry-After plus a lease. If the queue holds the job longer, another instance may take the
      // slot over meanwhile; this one's next claim then finds it held and leaves it.
      await this.renewLease(job.key, entry, retryAfterMs);
      return { kind: "rate-limited", retryAfterMs, scope: error.scope };
    }
    if (error instanceof DeliveryError && error.kind === "recipient-gone") {
      const at = this.clock.now().toISOString();
      this.upcoming.delete(subscriberKeyString(job.key));
      this.logger.warn(
        `daily: ${subscriberKeyString(job.key)} is unreachable (${error.code}: left, deactivated or closed the conversation); ` +
          `their schedule is paused until they set it again`,
      );
      return this.settle(job.key, entry, "skipped", `recipient unreachable: ${error.code}`, (draft) => {
        if (draft.subscription) draft.subscription.suspended = { code: error.code, at };
      });
    }
    job.attempts += 1;
    this.telemetry.jobFailed("deliver");
    const retryable = !(error instanceof DeliveryError) || error.retryable;
    if (!retryable || job.attempts >= this.maxAttempts) {
      this.logger.error(`daily: giving up on ${subscriberKeyString(job.key)} ${entry.slot} after ${job.attempts} attempt(s): ${errorText(error)}`);
      return this.settle(job.key, entry, "skipped", `delivery failed: ${errorText(error)}`, undefined, "failed");
    }
    // The post may or may not have gone out (a timeout, a dropped connection): look before retrying.
    job.needsCheck = true;
    this.telemetry.deliveryOutcome("retried");
    const afterMs = Math.min(60_000, 2_000 * 2 ** (job.attempts - 1));
    await this.renewLease(job.key, entry, afterMs);
    return { kind: "retry", afterMs };
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
  private async recordThread(key: SubscriberKey, ownerId: string | undefined, entry: LedgerEntry, ref: QuestionRef, justPosted: boolean): Promise<void> {
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
        askedBy: ownerId ?? key.id,
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
