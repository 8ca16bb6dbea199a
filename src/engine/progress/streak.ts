import { addDays, localDate } from "../schedule/zones.js";

export interface Streak {
  /** Consecutive local days with at least one answer, ending today (or yesterday if none yet today). */
  current: number;
  best: number;
  answeredToday: boolean;
}

/**
 * Days are the person's own calendar days (their timezone), so an answer at 23:30 in New York counts
 * for that day even though it is already tomorrow in UTC. A streak survives until the end of today:
 * not having answered yet today does not break it.
 */
export function computeStreak(answeredAt: readonly Date[], tz: string, now: Date): Streak {
  const days = new Set(answeredAt.map((d) => localDate(d, tz)));
  const today = localDate(now, tz);
  const answeredToday = days.has(today);
  let current = 0;
  for (let day = answeredToday ? today : addDays(today, -1); days.has(day); day = addDays(day, -1)) current += 1;
  let best = 0;
  for (const day of days) {
    if (days.has(addDays(day, -1))) continue; // not the start of a run
    let run = 0;
    for (let d = day; days.has(d); d = addDays(d, 1)) run += 1;
    best = Math.max(best, run);
  }
  return { current, best, answeredToday };
}
