import type { KnownBlock } from "@slack/types";
import type { QuestionBank } from "../../engine/content/bank.js";
import { DAILY_EXAMPLE } from "../../engine/schedule/command.js";
import type { ScheduleView } from "../../engine/schedule/scheduler.js";
import { formatTimeForPeople } from "../../engine/schedule/time-of-day.js";
import { describeDays } from "../../engine/schedule/weekdays.js";
import { formatLocal } from "../../engine/schedule/zones.js";
import { context, escapeMrkdwn, mention, mrkdwn, section } from "./text.js";

/** "ML system design, Coding" — or "all rounds". */
export function roundTitles(bank: QuestionBank, roundIds: readonly string[]): string {
  if (roundIds.length === 0) return "all rounds";
  return roundIds.map((id) => bank.findRound(id)?.title ?? id).join(", ");
}

/**
 * One paragraph describing a schedule: when, which days, which rounds, the next delivery, and any
 * pause or stop. `now` decides whether a pause is still running.
 */
export function scheduleText(view: ScheduleView, bank: QuestionBank, now: Date): string {
  const who = view.key.kind === "channel" ? "This channel's daily question" : "Your daily question";
  const sub = view.subscription;
  if (!sub) {
    const example = view.key.kind === "channel" ? "/interview daily channel 9:30 weekdays mlsd" : DAILY_EXAMPLE;
    return mrkdwn`${who} is not set up. Example: \`${example}\``;
  }
  const lines = [
    `${who}: *${formatTimeForPeople(sub.time)}*, ${describeDays(sub.days)}, ${escapeMrkdwn(view.tz)} time — ${escapeMrkdwn(roundTitles(bank, sub.rounds))}.`,
  ];
  if (sub.suspended) {
    lines.push(`:warning: Stopped: I could not deliver (\`${escapeMrkdwn(sub.suspended.code)}\`). Set it again to restart.`);
  } else if (sub.pausedUntil && new Date(sub.pausedUntil) > now) {
    lines.push(`:double_vertical_bar: Paused until ${escapeMrkdwn(formatLocal(new Date(sub.pausedUntil), view.tz))}.`);
  }
  if (view.next) lines.push(`Next question: *${escapeMrkdwn(formatLocal(view.next.at, view.tz))}*.`);
  if (view.key.kind === "channel") lines.push(mrkdwn`Set up by ${mention(sub.ownerId)}.`);
  return lines.join("\n");
}

/** The ephemeral reply to `/interview daily …` and `/interview pause …`. */
export function scheduleReply(view: ScheduleView, bank: QuestionBank, now: Date, headline?: string): { text: string; blocks: KnownBlock[] } {
  const body = scheduleText(view, bank, now);
  const blocks: KnownBlock[] = [];
  if (headline) blocks.push(section(`*${escapeMrkdwn(headline)}*`));
  blocks.push(section(body));
  const hints =
    view.key.kind === "channel"
      ? "Change it: `/interview daily channel <time> <days> [rounds]` · pause: `/interview pause channel <n> days` · stop: `/interview daily channel off`"
      : "Change it: `/interview daily <time> [days] [rounds]` · pause: `/interview pause <n> days` · stop: `/interview daily off` · progress: `/interview stats` or the app's Home tab";
  blocks.push(context(escapeMrkdwn(hints)));
  return { text: headline ? escapeMrkdwn(headline) : body, blocks };
}

/** A refused command: what was wrong and a command that works. */
export function inputErrorReply(message: string, example: string): { text: string; blocks: KnownBlock[] } {
  return {
    text: escapeMrkdwn(message),
    blocks: [section(mrkdwn`:warning: ${message}`), context(mrkdwn`Example: \`${example}\``)],
  };
}
