import { Cron } from "croner";
import type { Subscription } from "./records.js";
import { formatTime24 } from "./time-of-day.js";
import { cronDays } from "./weekdays.js";
import { localDate } from "./zones.js";

/** One scheduled delivery: the instant it is due and its identity for the exactly-once ledger. */
export interface Slot {
  at: Date;
  /**
   * Local date plus the subscription's time, e.g. "2025-03-09T02:30". Keyed on the *subscribed* time
   * rather than the instant, so a DST gap (02:30 runs at 03:00) or a timezone change can never turn
   * one local slot into two deliveries.
   */
  key: string;
  tz: string;
}

type Schedule = Pick<Subscription, "time" | "days">;

/**
 * croner does the calendar work in the IANA zone. Its DST rules for fixed-time jobs: a time in the
 * spring-forward gap runs at the first valid minute after the gap on that day; a time that occurs
 * twice in the autumn runs once, at the first occurrence.
 */
const crons = new Map<string, Cron>();

function cron(schedule: Schedule, tz: string): Cron {
  const pattern = `${schedule.time.minute} ${schedule.time.hour} * * ${cronDays(schedule.days)}`;
  const key = `${pattern}|${tz}`;
  let job = crons.get(key);
  if (!job) {
    // Parsing dominates a fan-out otherwise; distinct (time, days, zone) combinations are few.
    if (crons.size > 10_000) crons.clear();
    job = new Cron(pattern, { timezone: tz, mode: "5-part" });
    crons.set(key, job);
  }
  return job;
}

function slotAt(schedule: Schedule, tz: string, at: Date): Slot {
  return { at, key: `${localDate(at, tz)}T${formatTime24(schedule.time)}`, tz };
}

/** The first slot strictly after `after`. */
export function nextSlot(schedule: Schedule, tz: string, after: Date): Slot | undefined {
  const at = cron(schedule, tz).nextRun(after);
  return at ? slotAt(schedule, tz, at) : undefined;
}

/** The latest slot at or before `atOrBefore`. */
export function latestSlot(schedule: Schedule, tz: string, atOrBefore: Date): Slot | undefined {
  const [at] = cron(schedule, tz).previousRuns(1, new Date(atOrBefore.getTime() + 1));
  return at ? slotAt(schedule, tz, at) : undefined;
}

/** The next slot a subscription will really deliver: after `after`, not paused, not suspended. */
export function nextDelivery(subscription: Subscription, tz: string, after: Date): Slot | undefined {
  if (subscription.suspended) return undefined;
  let from = after;
  if (subscription.pausedUntil && new Date(subscription.pausedUntil) > after) {
    // A slot exactly at the end of the pause is delivered: look from just before it.
    from = new Date(new Date(subscription.pausedUntil).getTime() - 1);
  }
  return nextSlot(subscription, tz, from);
}
