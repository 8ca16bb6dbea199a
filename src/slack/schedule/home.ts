import type { WebClient } from "@slack/web-api";
import type { InterviewService } from "../../engine/interview/service.js";
import { buildProgress, type ProgressReport } from "../../engine/progress/report.js";
import type { ScheduleView } from "../../engine/schedule/scheduler.js";
import { appHomeView } from "../blocks/app-home.js";
import type { ScheduleFeature } from "./feature.js";

/** A person's own schedule and progress (never anyone else's: the user id comes from Slack's payload). */
export async function personalState(
  feature: ScheduleFeature,
  interview: InterviewService,
  userId: string,
  now = new Date(),
): Promise<{ schedule: ScheduleView; report: ProgressReport; tz: string }> {
  const schedule = await feature.scheduler.view({ kind: "user", id: userId });
  const tz = (await feature.people.timeZoneOf(userId).catch(() => undefined)) ?? schedule.tz;
  const history = await interview.store.peekUser(userId);
  const report = buildProgress({
    answers: history?.answers ?? [],
    rounds: interview.bank.rounds,
    tz,
    now,
    next: schedule.next ? { at: schedule.next.at, tz: schedule.next.tz } : undefined,
  });
  return { schedule, report, tz };
}

/** Publishes the App Home tab for `userId` (on app_home_opened, and after every schedule change). */
export async function publishHome(feature: ScheduleFeature, interview: InterviewService, client: WebClient, userId: string): Promise<void> {
  const now = new Date();
  const { schedule, report } = await personalState(feature, interview, userId, now);
  await client.views.publish({ user_id: userId, view: appHomeView({ schedule, report, bank: interview.bank, now }) });
}
