import { ScheduleInputError } from "./errors.js";

/** Days of the week as cron numbers: 0 = Sunday … 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export const EVERY_DAY: readonly Weekday[] = [0, 1, 2, 3, 4, 5, 6];
export const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5];
export const DAYS_EXAMPLE = "/interview daily 9:00 mon,wed,fri mlsd";

const NAMES: Record<string, Weekday> = {
  sun: 0, sunday: 0,
  mon: 1, monday: 1,
  tue: 2, tues: 2, tuesday: 2,
  wed: 3, weds: 3, wednesday: 3,
  thu: 4, thur: 4, thurs: 4, thursday: 4,
  fri: 5, friday: 5,
  sat: 6, saturday: 6,
};

const SHORT = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

function dayName(token: string): Weekday | undefined {
  return NAMES[token.toLowerCase().replace(/s$/, "") as string] ?? NAMES[token.toLowerCase()];
}

/** Single words that name a whole set of days. */
export function dayWord(token: string): readonly Weekday[] | undefined {
  switch (token.toLowerCase()) {
    case "weekdays":
    case "weekday":
    case "workdays":
      return WEEKDAYS;
    case "weekends":
    case "weekend":
      return [0, 6];
    case "everyday":
    case "daily":
    case "all-days":
      return EVERY_DAY;
    default:
      return undefined;
  }
}

/**
 * Whether a token is a day list such as `mon,wed,fri`, `mon-fri` or `tuesday`; undefined when it
 * is not about days at all (so it may be a round). Throws when it is clearly meant as days but wrong.
 */
export function parseDayList(token: string): Weekday[] | undefined {
  const parts = token.split(",").map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) return undefined;
  const days = new Set<Weekday>();
  let recognised = 0;
  const unknown: string[] = [];
  for (const part of parts) {
    const range = /^([a-z]+)-([a-z]+)$/i.exec(part);
    if (range) {
      const from = dayName(range[1]!);
      const to = dayName(range[2]!);
      if (from === undefined || to === undefined) {
        unknown.push(part);
        continue;
      }
      recognised += 1;
      for (let d = from; ; d = ((d + 1) % 7) as Weekday) {
        days.add(d);
        if (d === to) break;
      }
      continue;
    }
    const single = dayName(part);
    if (single === undefined) unknown.push(part);
    else {
      recognised += 1;
      days.add(single);
    }
  }
  if (recognised === 0) return undefined;
  if (unknown.length > 0) {
    throw new ScheduleInputError(
      `"${unknown.join(", ")}" is not a day. Days are mon, tue, wed, thu, fri, sat, sun (or weekdays, every day).`,
      DAYS_EXAMPLE,
    );
  }
  return [...days].sort((a, b) => a - b);
}

/** "every day", "weekdays", "weekends" or "Mon, Wed, Fri". */
export function describeDays(days: readonly number[]): string {
  const key = [...days].sort((a, b) => a - b).join(",");
  if (key === EVERY_DAY.join(",")) return "every day";
  if (key === WEEKDAYS.join(",")) return "weekdays";
  if (key === "0,6") return "weekends";
  // Monday-first reads naturally for a working week.
  return [...days]
    .sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7))
    .map((d) => SHORT[d]!)
    .join(", ");
}

/** Cron day-of-week field. */
export function cronDays(days: readonly number[]): string {
  return days.length === 7 ? "*" : [...days].sort((a, b) => a - b).join(",");
}
