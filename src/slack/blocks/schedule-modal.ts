import type { KnownBlock, ModalView } from "@slack/types";
import type { QuestionBank } from "../../engine/content/bank.js";
import type { Subscription } from "../../engine/schedule/records.js";
import { formatTime24, type TimeOfDay } from "../../engine/schedule/time-of-day.js";
import { WEEKDAYS } from "../../engine/schedule/weekdays.js";
import { VIEW_IDS } from "./action-ids.js";
import { PAUSE_CHOICES } from "./app-home.js";
import { escapeMrkdwn } from "./text.js";

/** Block and action ids of the modal's inputs (also what `readScheduleModal` reads). */
export const MODAL_FIELDS = {
  time: "daily_time",
  days: "daily_days",
  rounds: "daily_rounds",
  pause: "daily_pause",
} as const;

const DAY_OPTIONS = [
  ["1", "Mon"],
  ["2", "Tue"],
  ["3", "Wed"],
  ["4", "Thu"],
  ["5", "Fri"],
  ["6", "Sat"],
  ["0", "Sun"],
] as const;

const option = (value: string, text: string) => ({ text: { type: "plain_text" as const, text }, value });

/** The "edit schedule" modal, pre-filled from the current subscription (or 09:00 on weekdays). */
export function scheduleModal(input: { subscription?: Subscription; bank: QuestionBank; tz: string }): ModalView {
  const sub = input.subscription;
  const days = sub?.days ?? [...WEEKDAYS];
  const dayOptions = DAY_OPTIONS.map(([v, t]) => option(v, t));
  const roundOptions = input.bank.rounds.map((r) => option(r.id, r.title));
  const selectedRounds = roundOptions.filter((o) => sub?.rounds.includes(o.value));
  const blocks: KnownBlock[] = [
    {
      type: "input",
      block_id: MODAL_FIELDS.time,
      label: { type: "plain_text", text: "Time" },
      hint: { type: "plain_text", text: `In your Slack timezone (${input.tz}); it follows you if that changes.` },
      element: { type: "timepicker", action_id: MODAL_FIELDS.time, initial_time: formatTime24(sub?.time ?? { hour: 9, minute: 0 }) },
    },
    {
      type: "input",
      block_id: MODAL_FIELDS.days,
      label: { type: "plain_text", text: "Days" },
      element: {
        type: "checkboxes",
        action_id: MODAL_FIELDS.days,
        options: dayOptions,
        initial_options: dayOptions.filter((o) => days.includes(Number(o.value))),
      },
    },
    {
      type: "input",
      block_id: MODAL_FIELDS.rounds,
      optional: true,
      label: { type: "plain_text", text: "Rounds (none ticked = all rounds)" },
      element: {
        type: "checkboxes",
        action_id: MODAL_FIELDS.rounds,
        options: roundOptions,
        ...(selectedRounds.length > 0 ? { initial_options: selectedRounds } : {}),
      },
    },
    {
      type: "input",
      block_id: MODAL_FIELDS.pause,
      optional: true,
      label: { type: "plain_text", text: "Pause" },
      element: {
        type: "static_select",
        action_id: MODAL_FIELDS.pause,
        placeholder: { type: "plain_text", text: "Leave as it is" },
        options: [option("0", "Not paused (resume)"), ...PAUSE_CHOICES.map((d) => option(String(d), `Pause ${d} day${d === 1 ? "" : "s"}`))],
      },
    },
    {
      type: "context",
      elements: [{ type: "mrkdwn", text: escapeMrkdwn("Questions favour the rounds and rubric dimensions where you score lowest.") }],
    },
  ];
  return {
    type: "modal",
    callback_id: VIEW_IDS.scheduleModal,
    title: { type: "plain_text", text: "Daily question" },
    submit: { type: "plain_text", text: "Save" },
    close: { type: "plain_text", text: "Cancel" },
    blocks,
  };
}

/** The subset of a view_submission's `view.state.values` the modal produces. */
export type ModalValues = Record<
  string,
  Record<string, { selected_time?: string | null; selected_options?: Array<{ value: string }>; selected_option?: { value: string } | null }>
>;

export type ModalReading =
  /** pause: undefined keeps the current pause, 0 resumes, n pauses for n days. */
  | { ok: true; time: TimeOfDay; days: number[]; rounds: string[]; pauseDays: number | undefined }
  | { ok: false; errors: Record<string, string> };

/** Validates a submitted modal; errors are keyed by block id, as `response_action: "errors"` wants. */
export function readScheduleModal(values: ModalValues, bank: QuestionBank): ModalReading {
  const errors: Record<string, string> = {};
  const rawTime = values[MODAL_FIELDS.time]?.[MODAL_FIELDS.time]?.selected_time ?? "";
  const m = /^(\d{2}):(\d{2})$/.exec(rawTime);
  const time = m ? { hour: Number(m[1]), minute: Number(m[2]) } : undefined;
  if (!time || time.hour > 23 || time.minute > 59) errors[MODAL_FIELDS.time] = "Pick a time, e.g. 09:00.";
  const days = (values[MODAL_FIELDS.days]?.[MODAL_FIELDS.days]?.selected_options ?? [])
    .map((o) => Number(o.value))
    .filter((d) => Number.isInteger(d) && d >= 0 && d <= 6);
  if (days.length === 0) errors[MODAL_FIELDS.days] = "Tick at least one day.";
  const rounds = (values[MODAL_FIELDS.rounds]?.[MODAL_FIELDS.rounds]?.selected_options ?? [])
    .map((o) => bank.findRound(o.value)?.id)
    .filter((id): id is string => id !== undefined);
  const pauseValue = values[MODAL_FIELDS.pause]?.[MODAL_FIELDS.pause]?.selected_option?.value;
  const pauseDays = pauseValue === undefined ? undefined : Number(pauseValue);
  if (pauseDays !== undefined && (!Number.isInteger(pauseDays) || pauseDays < 0 || pauseDays > 90)) {
    errors[MODAL_FIELDS.pause] = "Choose how long to pause.";
  }
  if (Object.keys(errors).length > 0 || !time) return { ok: false, errors };
  return { ok: true, time, days: [...new Set(days)].sort((a, b) => a - b), rounds, pauseDays };
}
