import { WebClient } from "@slack/web-api";
import type { Config } from "../config.js";
import { slackErrorCode } from "./conversations.js";
import { slackClientOptions } from "./client-options.js";

/** Slack's answers to auth.test that mean the token itself is wrong, not that Slack is unreachable. */
const TOKEN_PROBLEMS: Record<string, string> = {
  invalid_auth: "the token is not valid (mistyped, or from another app or workspace)",
  not_authed: "no token was sent",
  token_revoked: "the token was revoked (the app was uninstalled or reinstalled)",
  token_expired: "the token has expired (token rotation is on)",
  account_inactive: "the app's bot user or the workspace is deactivated",
};

/** The bot token cannot be used: start-up stops with one message saying what to do. */
export class SlackTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SlackTokenError";
  }
}

export interface BotIdentity {
  botUserId: string;
  botId: string;
  /** The workspace the token belongs to. */
  teamId?: string;
}

/**
 * One auth.test before the app starts, so a wrong or revoked token is reported once and clearly
 * instead of as warnings on every request. Returns the bot's ids, which Bolt then does not fetch again.
 */
export async function verifySlackToken(config: Config, client = new WebClient(config.slack.botToken, slackClientOptions(config))): Promise<BotIdentity> {
  let result;
  try {
    result = await client.auth.test();
  } catch (error) {
    const code = slackErrorCode(error);
    const fix =
      "Open https://api.slack.com/apps → your app → OAuth & Permissions, (re)install it to the workspace, copy the Bot User OAuth Token (xoxb-…) into SLACK_BOT_TOKEN in .env, and start again.";
    if (code && TOKEN_PROBLEMS[code]) throw new SlackTokenError(`Slack rejected SLACK_BOT_TOKEN (${code}): ${TOKEN_PROBLEMS[code]}. ${fix}`);
    if (code) throw new SlackTokenError(`Slack refused auth.test (${code}). ${fix}`);
    const where = config.slack.apiUrl ?? "https://slack.com/api/";
    throw new SlackTokenError(`Could not reach Slack at ${where}: ${(error as Error).message}. Check the network (and SLACK_API_URL if you set it), then start again.`);
  }
  return { botUserId: String(result.user_id ?? ""), botId: String(result.bot_id ?? ""), teamId: result.team_id || undefined };
}

/**
 * Socket Mode's start fails with Slack's error code when SLACK_APP_TOKEN is wrong: said once, with what
 * to do, instead of a stack trace. Anything else is returned unchanged.
 */
export function explainSocketModeStartError(error: unknown, config: Config): unknown {
  const code = slackErrorCode(error);
  if (!config.slack.appToken || !code || !(code in TOKEN_PROBLEMS || code === "not_allowed_token_type")) return error;
  const why = TOKEN_PROBLEMS[code] ?? "that is not an app-level token (it should start with xapp-)";
  return new SlackTokenError(
    `Slack rejected SLACK_APP_TOKEN (${code}): ${why}. Open https://api.slack.com/apps → your app → Basic Information → App-Level Tokens, generate one with the connections:write scope, put it in SLACK_APP_TOKEN in .env, and start again.`,
  );
}
