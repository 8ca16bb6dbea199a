import { LogLevel, type CustomRoute } from "@slack/bolt";
import type { Config } from "../config.js";
import type { InterviewService } from "../engine/interview/service.js";
import { registerListeners } from "./listeners/index.js";
import { slackClientOptions } from "./client-options.js";
import type { BotIdentity } from "./verify-token.js";
import type { Inbox } from "../engine/inbox/ports.js";
import type { ReplyJobs } from "../engine/inbox/reply-jobs.js";
import { InboxFirstApp } from "./inbox/inbox-first-app.js";
import type { LoopLogger } from "./loop/feature.js";
import { oauthAppOptions } from "./oauth/app-options.js";
import type { DocumentInstallationStore } from "./oauth/installation-store.js";
import { workspaceTokens } from "./oauth/workspace-clients.js";
import { SlackWorkspaces } from "./workspaces.js";
import type { Logger } from "../app/engine.js";
import type { Telemetry } from "../engine/telemetry.js";
import { boltLogger, withLogContext } from "../ops/logging.js";

export interface SlackAppParts {
  /** One workspace's interview service (the engine's; "" is the single-workspace root). */
  interviewFor(workspace: string): Promise<InterviewService>;
  inbox: Inbox;
  /** Sends the grading job of what the inbox accepted (before Slack is acknowledged); workers run it. */
  replies: ReplyJobs;
  /** Whether this process runs the daily scheduler and the loop pacer of the workspaces it serves. */
  timers: { deliver: boolean; loop: boolean };
  /** OAuth mode's installations; undefined with SLACK_BOT_TOKEN. */
  installations?: DocumentInstallationStore;
  /** The bot's ids from a verified auth.test (src/slack/verify-token.ts): Bolt then makes no call of its own at start. */
  identity?: BotIdentity;
  /** OAuth mode: the team whose data is at the storage root (from single-workspace days), served from there. */
  rootTeam?: string;
  /** The app's logger, for schedulers and pacers. */
  log: LoopLogger;
  /** Where Bolt (and its Web API client) log; default: Bolt's console logger at LOG_LEVEL. */
  logger?: Logger;
  /** Counts failed reply jobs, deliveries and paced rounds (default: nothing). */
  telemetry?: Telemetry;
  /**
   * Extra HTTP routes (GET /healthz, /readyz, /metrics): beside /slack/events on PORT in HTTP mode; in
   * Socket Mode on an HTTP server Bolt's SocketModeReceiver starts on PORT for them.
   */
  customRoutes?: CustomRoute[];
}

/**
 * The Bolt app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on PORT at /slack/events. With
 * SLACK_BOT_TOKEN it serves one workspace; in OAuth mode every workspace installed through /slack/install,
 * each request answered with its workspace's token and data. SLACK_API_URL points every Web API call
 * (oauth.v2.access included) elsewhere (GovSlack/Enterprise hosts, tests).
 */
export function createSlackApp(config: Config, parts: SlackAppParts): { app: InboxFirstApp; workspaces: SlackWorkspaces } {
  const { slack } = config;
  const { installations, identity } = parts;
  const socketMode = Boolean(slack.appToken);
  // Assigned below; Bolt calls the installation hook only once the app serves requests.
  let workspaces: SlackWorkspaces | undefined;
  const app = new InboxFirstApp({
    ...(installations ? oauthAppOptions(config, installations, (workspace) => workspaces!.installed(workspace)) : { token: slack.botToken }),
    signingSecret: slack.signingSecret,
    socketMode,
    appToken: slack.appToken,
    // Bolt sets its logger's level to `logLevel` (INFO when absent), so both are given.
    ...(parts.logger ? { logger: boltLogger(parts.logger, config.logLevel) } : {}),
    logLevel: LogLevel[config.logLevel.toUpperCase() as keyof typeof LogLevel],
    clientOptions: slackClientOptions(config),
    // In Socket Mode this is the port of the HTTP server serving the custom routes (installerOptions.port).
    ...(parts.customRoutes?.length ? { customRoutes: parts.customRoutes, ...(socketMode ? { port: slack.port } : {}) } : {}),
    // The error handler gets the request's context, so its log line names the team and user.
    extendedErrorHandler: true,
    ...(identity?.botId && identity.botUserId ? { botId: identity.botId, botUserId: identity.botUserId } : {}),
  });
  workspaces = new SlackWorkspaces({
    config,
    interviewFor: parts.interviewFor,
    tokens: workspaceTokens(config, installations),
    installations,
    rootTeam: parts.rootTeam,
    inbox: parts.inbox,
    replies: parts.replies,
    timers: parts.timers,
    appClient: installations ? undefined : app.client,
    logger: app.logger,
    log: parts.log,
    telemetry: parts.telemetry,
  });
  // Every log line written while a Slack request is handled carries its team and user.
  app.use(({ context, next }) => withLogContext({ team: context.teamId, enterprise: context.enterpriseId, user: context.userId }, next));
  registerListeners(app, workspaces);
  // Bolt's extended handler (extendedErrorHandler above; the last overload of app.error).
  const onError: Parameters<InboxFirstApp["error"]>[0] = async ({ error, context }) =>
    withLogContext({ team: context.teamId, enterprise: context.enterpriseId, user: context.userId }, () =>
      app.logger.error(`Unhandled Slack listener error: ${error.message}`, error),
    );
  app.error(onError);
  return { app, workspaces };
}
