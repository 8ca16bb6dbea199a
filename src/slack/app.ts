import { LogLevel } from "@slack/bolt";
import type { Config } from "../config.js";
import type { InterviewService } from "../engine/interview/service.js";
import type { SlackDeps } from "./deps.js";
import { registerListeners } from "./listeners/index.js";
import { slackClientOptions } from "./client-options.js";
import type { BotIdentity } from "./verify-token.js";
import { InboxFirstApp } from "./inbox/inbox-first-app.js";

/**
 * The Bolt app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on PORT at /slack/events.
 * SLACK_API_URL points the Web API client elsewhere (GovSlack/Enterprise hosts, tests).
 */
export function createSlackApp(
  config: Config,
  interview: InterviewService,
  features: Pick<SlackDeps, "schedule" | "loop" | "inbox" | "replies">,
  /** The bot's ids from a verified auth.test (src/slack/verify-token.ts): Bolt then makes no call of its own at start. */
  identity?: BotIdentity,
): { app: InboxFirstApp; deps: SlackDeps } {
  const { slack } = config;
  const socketMode = Boolean(slack.appToken);
  const app = new InboxFirstApp({
    token: slack.botToken,
    signingSecret: slack.signingSecret,
    socketMode,
    appToken: slack.appToken,
    logLevel: LogLevel[config.logLevel.toUpperCase() as keyof typeof LogLevel],
    clientOptions: slackClientOptions(config),
    ...(identity?.botId && identity.botUserId ? { botId: identity.botId, botUserId: identity.botUserId } : {}),
  });
  const deps: SlackDeps = { interview, config, logger: app.logger, ...features };
  registerListeners(app, deps);
  app.error(async (error) => {
    app.logger.error(`Unhandled Slack listener error: ${error.message}`);
  });
  return { app, deps };
}
