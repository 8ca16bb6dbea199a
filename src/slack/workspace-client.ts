import { WebClient } from "@slack/web-api";
import type { Config } from "../config.js";
import type { InboxEntry } from "../engine/inbox/records.js";
import { slackClientOptions } from "./client-options.js";

/**
 * The Web API client that posts for an inbox entry: a worker answers in the workspace the reply came
 * from, with that workspace's token. Single-workspace mode (SLACK_BOT_TOKEN) has one client for all;
 * multi-workspace mode looks the installation up by the entry's workspace.
 */
export type ClientFor = (entry: InboxEntry) => Promise<WebClient>;

/** Every entry is answered with the one bot token. */
export function singleWorkspaceClient(config: Config, client = new WebClient(config.slack.botToken, slackClientOptions(config))): ClientFor {
  return async () => client;
}
