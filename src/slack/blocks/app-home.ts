import type { HomeView, KnownBlock } from "@slack/types";
import type { QuestionBank } from "../../engine/content/bank.js";
import type { ProgressReport } from "../../engine/progress/report.js";
import type { ScheduleView } from "../../engine/schedule/scheduler.js";
import { ACTION_IDS } from "./action-ids.js";
import { progressBlocks } from "./progress.js";
import { scheduleText } from "./schedule.js";
import { section } from "./text.js";

export const PAUSE_CHOICES = [1, 3, 7, 14] as const;

/** Buttons for the schedule: edit (modal), pause for n days, resume, stop. */
function scheduleControls(view: ScheduleView, now: Date): KnownBlock {
  const sub = view.subscription;
  const elements: Extract<KnownBlock, { type: "actions" }>["elements"] = [
    {
      type: "button",
      action_id: ACTION_IDS.homeEditSchedule,
      text: { type: "plain_text", text: sub ? "Edit schedule" : "Set up a daily question" },
      style: "primary",
    },
  ];
  if (sub && !sub.suspended) {
    const paused = sub.pausedUntil !== undefined && new Date(sub.pausedUntil) > now;
    if (paused) {
      elements.push({ type: "button", action_id: ACTION_IDS.homeResume, text: { type: "plain_text", text: "Resume" } });
    } else {
      elements.push({
        type: "static_select",
        action_id: ACTION_IDS.homePause,
        placeholder: { type: "plain_text", text: "Pause…" },
        options: PAUSE_CHOICES.map((d) => ({ text: { type: "plain_text", text: `Pause ${d} day${d === 1 ? "" : "s"}` }, value: String(d) })),
      });
    }
  }
  if (sub) {
    elements.push({
      type: "button",
      action_id: ACTION_IDS.homeStop,
      text: { type: "plain_text", text: "Stop" },
      style: "danger",
      confirm: {
        title: { type: "plain_text", text: "Stop daily questions?" },
        text: { type: "plain_text", text: "Your history stays; you can set a new schedule any time." },
        confirm: { type: "plain_text", text: "Stop" },
        deny: { type: "plain_text", text: "Keep" },
      },
    });
  }
  return { type: "actions", block_id: "daily_controls", elements };
}

/** The App Home tab: the viewer's own schedule with its controls, then their progress. */
export function appHomeView(input: { schedule: ScheduleView; report: ProgressReport; bank: QuestionBank; now: Date }): HomeView {
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: "Interview Coach" } },
    section(scheduleText(input.schedule, input.bank, input.now)),
    scheduleControls(input.schedule, input.now),
    { type: "divider" },
    { type: "header", text: { type: "plain_text", text: "Your progress" } },
    ...progressBlocks(input.report),
    { type: "divider" },
    {
      type: "context",
      elements: [{ type: "mrkdwn", text: "Only you can see this page. Practise now: `/interview ask mlsd` · all commands: `/interview help`" }],
    },
  ];
  return { type: "home", blocks };
}
