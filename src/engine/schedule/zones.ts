/** Wall-clock facts about an instant in an IANA timezone, via Intl (no tz database of our own). */

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True for zone names Intl accepts (Slack's `tz` values are IANA names such as America/New_York). */
export function isValidTimeZone(tz: string): boolean {
  try {
    partsFormatter(tz);
    return true;
  } catch {
    return false;
  }
}

export interface LocalParts {
  /** YYYY-MM-DD in the zone. */
  date: string;
  /** HH:MM (24-hour) in the zone. */
  time: string;
  weekday: string;
}

export function localParts(at: Date, tz: string): LocalParts {
  const p: Record<string, string> = {};
  for (const part of partsFormatter(tz).formatToParts(at)) p[part.type] = part.value;
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}`, weekday: p.weekday ?? "" };
}

/** The calendar date (YYYY-MM-DD) of `at` for someone in `tz`. */
export function localDate(at: Date, tz: string): string {
  return localParts(at, tz).date;
}

/** The date `days` after a YYYY-MM-DD date (calendar arithmetic, no timezone involved). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** "Mon 10 Mar, 09:00 (America/New_York)" — the form schedules and confirmations use. */
export function formatLocal(at: Date, tz: string): string {
  const text = new Intl.DateTimeFormat("en-GB", {
    timeZone: tz,
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(at);
  return `${text} (${tz})`;
}
