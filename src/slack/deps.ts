import type { Logger } from "@slack/bolt";
import type { Config } from "../config.js";
import type { InterviewService } from "../engine/interview/service.js";

/** What the Slack listeners need from the rest of the app; passed in so handlers test without an App. */
export interface SlackDeps {
  interview: InterviewService;
  config: Config;
  logger: Logger;
}
