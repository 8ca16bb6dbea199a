import type { Logger } from "@slack/bolt";
import type { Config } from "../config.js";
import type { InterviewService } from "../engine/interview/service.js";
import type { LoopFeature } from "./loop/feature.js";
import type { Inbox } from "../engine/inbox/ports.js";
import type { ReplyJobs } from "../engine/inbox/reply-jobs.js";
import type { ScheduleFeature } from "./schedule/feature.js";

/** What the Slack listeners need from the rest of the app; passed in so handlers test without an App. */
export interface SlackDeps {
  /** The workspace's storage key (team or enterprise id; "" in single-workspace mode): see src/slack/workspaces.ts. */
  workspace: string;
  interview: InterviewService;
  config: Config;
  logger: Logger;
  /** Thread replies received and not yet handled; it also recognises Slack's redeliveries of one message. */
  inbox: Inbox;
  /** Sends the grading job of what the inbox accepted (before Slack is acknowledged); workers run it. */
  replies: ReplyJobs;
  /** Daily questions, progress and App Home. */
  schedule: ScheduleFeature;
  /** Mock onsite loops (`/interview loop`). */
  loop: LoopFeature;
}
