import { LogLevel, type CustomRoute } from "@slack/bolt";
import type { Config } from "../config.js";
import type { InterviewService } from "../engine/interview/service.js";
import type { SlackDeps } from "./deps.js";
import { registerListeners } from "./listeners/index.js";
import { slackClientOptions } from "./client-options.js";
import type { BotIdentity } from "./verify-token.js";
import type { Inbox } from "../engine/inbox/ports.js";
import { InboxProcessor } from "../engine/inbox/processor.js";
import { handleThreadReply } from "./inbox/handle-reply.js";
import { InboxFirstApp } from "./inbox/inbox-first-app.js";
import type { Logger } from "../app/engine.js";
import type { Telemetry } from "../engine/telemetry.js";
import { boltLogger, withLogContext } from "../ops/logging.js";

export interface SlackAppOptions {
  /** Where Bolt (and its Web API client) log; default: Bolt's console logger at LOG_LEVEL. */
  logger?: Logger;
  /** Counts failed reply jobs (default: nothing). */
  telemetry?: Telemetry;
  /**
   * Extra HTTP routes (GET /healthz, /readyz, /metrics): beside /slack/events on PORT in HTTP mode; in
   * Socket Mode on an HTTP server Bolt's SocketModeReceiver starts on PORT for them.
   */
  customRoutes?: CustomRoute[];
}

/**
 * The Bolt app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on PORT at /slack/events.
 * SLACK_API_URL points the Web API client elsewhere (GovSlack/Enterprise hosts, tests).
 */
export function createSlackApp(
  config: Config,
  interview: InterviewService,
  features: Pick<SlackDeps, "schedule" | "loop" | "inbox">,
  /** The bot's ids from a verified auth.test (src/slack/verify-token.ts): Bolt then makes no call of its own at start. */
  identity?: BotIdentity,
  options: SlackAppOptions = {},
): { app: InboxFirstApp; deps: SlackDeps } {
  const { slack } = config;
  const socketMode = Boolean(slack.appToken);
  const app = new InboxFirstApp({
    token: slack.botToken,
    signingSecret: slack.signingSecret,
    socketMode,
    appToken: slack.appToken,
    // Bolt sets its logger's level to `logLevel` (INFO when absent), so both are given.
    ...(options.logger ? { logger: boltLogger(options.logger, config.logLevel) } : {}),
    logLevel: LogLevel[config.logLevel.toUpperCase() as keyof typeof LogLevel],
    clientOptions: slackClientOptions(config),
    // In Socket Mode this is the port of the HTTP server serving the custom routes (installerOptions.port).
    ...(options.customRoutes?.length ? { customRoutes: options.customRoutes, ...(socketMode ? { port: slack.port } : {}) } : {}),
    // The error handler gets the request's context, so its log line names the team and user.
    extendedErrorHandler: true,
    ...(identity?.botId && identity.botUserId ? { botId: identity.botId, botUserId: identity.botUserId } : {}),
  });
  const replies: InboxProcessor = new InboxProcessor({
    inbox: features.inbox,
    // Each reply's log lines name its author, whatever job started it.
    handle: (entry, context) =>
      withLogContext({ user: entry.userId }, () =>
        handleThreadReply({ interview, loop: features.loop, inbox: features.inbox, logger: app.logger }, app.client, entry, context),
      ),
    logger: app.logger,
    telemetry: options.telemetry,
  });
  // Every log line written while a Slack request is handled carries its team and user.
  app.use(({ context, next }) => withLogContext({ team: context.teamId, enterprise: context.enterpriseId, user: context.userId }, next));
  const deps: SlackDeps = { interview, config, logger: app.logger, replies, ...features };
  registerListeners(app, deps);
  // Bolt's extended handler (extendedErrorHandler above; the last overload of app.error).
  const onError: Parameters<InboxFirstApp["error"]>[0] = async ({ error, context }) =>
    withLogContext({ team: context.teamId, enterprise: context.enterpriseId, user: context.userId }, () =>
      app.logger.error(`Unhandled Slack listener error: ${error.message}`, error),
    );
  app.error(onError);
  return { app, deps };
}
