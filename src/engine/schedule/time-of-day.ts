import { ScheduleInputError } from "./errors.js";

/** A wall-clock time in the subscriber's own timezone. */
export interface TimeOfDay {
  hour: number;
  minute: number;
}

export const TIME_EXAMPLE = "/interview daily 9:00 weekdays mlsd";

const TIME = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|a|p)?$/i;

/**
 * Reads the times people type: 9, 9:00, 09:30, 9am, 9 am, 5:15pm, 17:15, 17h15, noon, midnight.
 * Anything else is refused with the reason, never guessed (a wrong guess means a question at 3 a.m.).
 */
export function parseTimeOfDay(input: string): TimeOfDay {
  const text = input.trim().toLowerCase();
  if (text === "noon" || text === "midday") return { hour: 12, minute: 0 };
  if (text === "midnight") return { hour: 0, minute: 0 };
  const m = TIME.exec(text);
  if (!m) {
    throw new ScheduleInputError(
      `"${input}" is not a time I can read. Use 24-hour 17:15 or 12-hour 5:15pm.`,
      TIME_EXAMPLE,
    );
  }
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const meridiem = m[3]?.[0];
  if (minute > 59) throw new ScheduleInputError(`"${input}": minutes go from 00 to 59.`, TIME_EXAMPLE);
  if (meridiem) {
    if (hour < 1 || hour > 12) {
      throw new ScheduleInputError(`"${input}": with am/pm the hour goes from 1 to 12 (or write 24-hour time, like 17:15).`, TIME_EXAMPLE);
    }
    hour = (hour % 12) + (meridiem === "p" ? 12 : 0);
  } else if (hour > 23) {
    throw new ScheduleInputError(`"${input}": hours go from 0 to 23 (or use am/pm, like 5:15pm).`, TIME_EXAMPLE);
  }
  return { hour, minute };
}

/** Whether a token starts like a time, so the command parser can tell a bad time from a day or round. */
export function looksLikeTime(token: string): boolean {
  return /^\d/.test(token) || /^(noon|midday|midnight)$/i.test(token);
}

/** 24-hour HH:MM, the form used in slot keys and the stored subscription. */
export function formatTime24(time: TimeOfDay): string {
  return `${String(time.hour).padStart(2, "0")}:${String(time.minute).padStart(2, "0")}`;
}

/** How the time is shown to people: "9:00 AM" style is ambiguous across locales, so 24-hour plus am/pm. */
export function formatTimeForPeople(time: TimeOfDay): string {
  const h12 = time.hour % 12 === 0 ? 12 : time.hour % 12;
  const suffix = time.hour < 12 ? "am" : "pm";
  return `${formatTime24(time)} (${h12}:${String(time.minute).padStart(2, "0")}${suffix})`;
}
