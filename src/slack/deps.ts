import type { Logger } from "@slack/bolt";
import type { Config } from "../config.js";
import type { InterviewService } from "../engine/interview/service.js";
import type { LoopFeature } from "./loop/feature.js";
import type { RecentKeys } from "./recent-keys.js";
import type { ScheduleFeature } from "./schedule/feature.js";

/** What the Slack listeners need from the rest of the app; passed in so handlers test without an App. */
export interface SlackDeps {
  interview: InterviewService;
  config: Config;
  logger: Logger;
  /** Thread replies already taken, so Slack's redeliveries of the same message are not graded twice. */
  seenReplies: RecentKeys;
  /** Daily questions, progress and App Home. */
  schedule: ScheduleFeature;
  /** Mock onsite loops (`/interview loop`). */
  loop: LoopFeature;
}
