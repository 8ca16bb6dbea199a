import type { QuestionBank } from "../content/bank.js";
import { ScheduleInputError } from "./errors.js";
import { looksLikeTime, parseTimeOfDay, type TimeOfDay } from "./time-of-day.js";
import { dayWord, EVERY_DAY, parseDayList, type Weekday } from "./weekdays.js";

/** Whose schedule a command is about: the caller's own (DM) or the channel it was typed in. */
export type ScheduleTarget = "me" | "channel";

export type DailyCommand =
  | { kind: "show"; target: ScheduleTarget }
  | { kind: "off"; target: ScheduleTarget }
  | { kind: "set"; target: ScheduleTarget; time: TimeOfDay; days: Weekday[]; rounds: string[] };

export type PauseCommand =
  | { kind: "pause"; target: ScheduleTarget; days: number }
  | { kind: "resume"; target: ScheduleTarget };

export const DAILY_EXAMPLE = "/interview daily 9:00 weekdays mlsd coding";
export const CHANNEL_EXAMPLE = "/interview daily channel 9:30 weekdays mlsd";
export const PAUSE_EXAMPLE = "/interview pause 3 days";
export const MAX_PAUSE_DAYS = 90;

function tokens(text: string): string[] {
  // "mon, wed ,fri" and "mlsd, coding" are one list each.
  return text.trim().replace(/\s*,\s*/g, ",").split(/\s+/).filter(Boolean);
}

function roundNames(bank: QuestionBank): string {
  return bank.rounds.map((r) => r.aliases[0] ?? r.id).join(", ");
}

/**
 * Reads what follows `/interview daily`:
 *   (nothing)                       → show the schedule and the next delivery
 *   off | stop                      → stop
 *   <time> [days] [rounds…]         → set (days default to every day, rounds to all rounds)
 *   channel …                       → the same for the channel the command was typed in
 * Days: weekdays, weekends, every day, mon,wed,fri, mon-fri. Rounds: ids or aliases (mlsd, hm…).
 */
export function parseDailyArgs(text: string, bank: QuestionBank): DailyCommand {
  const channel = /^\s*channel\b/i.test(text);
  try {
    return parseDaily(text, bank);
  } catch (error) {
    // Time and day errors carry a generic example; show one for the form the person is using.
    if (error instanceof ScheduleInputError && channel && !error.example.includes(" channel ")) {
      throw new ScheduleInputError(error.message, CHANNEL_EXAMPLE);
    }
    throw error;
  }
}

function parseDaily(text: string, bank: QuestionBank): DailyCommand {
  const words = tokens(text);
  let target: ScheduleTarget = "me";
  if (words[0]?.toLowerCase() === "channel") {
    target = "channel";
    words.shift();
  }
  const example = target === "channel" ? CHANNEL_EXAMPLE : DAILY_EXAMPLE;
  if (words.length === 0) return { kind: "show", target };
  if (words.length === 1 && /^(off|stop|cancel|unsubscribe)$/i.test(words[0]!)) return { kind: "off", target };

  let time: TimeOfDay | undefined;
  const days = new Set<Weekday>();
  const rounds = new Set<string>();
  let allRounds = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const lower = word.toLowerCase();
    const next = words[i + 1]?.toLowerCase();
    if (looksLikeTime(word)) {
      if (time) throw new ScheduleInputError(`Give one time only (I read ${word} as a second time).`, example);
      // "9 am" arrives as two words.
      const joined = next && /^(am|pm|a\.m\.|p\.m\.)$/.test(next) ? `${word}${next}` : word;
      if (joined !== word) i += 1;
      time = parseTimeOfDay(joined);
      continue;
    }
    if (lower === "every" || lower === "each") {
      if (next === "day" || next === "days") {
        EVERY_DAY.forEach((d) => days.add(d));
        i += 1;
        continue;
      }
      if (next === "weekday") {
        dayWord("weekdays")!.forEach((d) => days.add(d));
        i += 1;
        continue;
      }
      throw new ScheduleInputError(`After "${word}" write "day" (every day), or list the days instead: mon,wed,fri.`, example);
    }
    const set = dayWord(lower) ?? parseDayList(lower);
    if (set) {
      set.forEach((d) => days.add(d));
      continue;
    }
    for (const name of lower.split(",").filter(Boolean)) {
      if (name === "all" || name === "any") {
        allRounds = true;
        continue;
      }
      const round = bank.findRound(name);
      if (!round) {
        throw new ScheduleInputError(
          `"${name}" is neither a day nor a round. Days: weekdays, every day, mon,wed,fri. Rounds: ${roundNames(bank)}.`,
          example,
        );
      }
      rounds.add(round.id);
    }
  }
  if (!time) {
    throw new ScheduleInputError("Say when: a time such as 9:00, 9am or 17:15 (in your own timezone).", example);
  }
  return {
    kind: "set",
    target,
    time,
    days: days.size > 0 ? [...days].sort((a, b) => a - b) : [...EVERY_DAY],
    // Keep the bank's order so the schedule reads like the loop.
    rounds: allRounds ? [] : bank.rounds.filter((r) => rounds.has(r.id)).map((r) => r.id),
  };
}

/** Reads what follows `/interview pause`: `<n> [days]`, `for <n> days`, `off` / `resume`, optionally after `channel`. */
export function parsePauseArgs(text: string): PauseCommand {
  const words = tokens(text).map((w) => w.toLowerCase());
  let target: ScheduleTarget = "me";
  if (words[0] === "channel") {
    target = "channel";
    words.shift();
  }
  const example = target === "channel" ? "/interview pause channel 3 days" : PAUSE_EXAMPLE;
  if (words.length === 1 && /^(off|resume|end|stop|cancel)$/.test(words[0]!)) return { kind: "resume", target };
  if (words[0] === "for") words.shift();
  const joined = words.join(" ");
  const m = /^(\d+)\s*(d|day|days)?$/.exec(joined);
  if (!m) {
    throw new ScheduleInputError(
      words.length === 0 ? "Say for how many days, e.g. 3 days." : `"${joined}" is not a number of days.`,
      example,
    );
  }
  const days = Number(m[1]);
  if (days < 1 || days > MAX_PAUSE_DAYS) {
    throw new ScheduleInputError(`Pause for 1 to ${MAX_PAUSE_DAYS} days (to stop altogether: /interview daily off).`, example);
  }
  return { kind: "pause", target, days };
}
