import { WebClient, type WebClientOptions } from "@slack/web-api";
import type { Config } from "../../config.js";
import type { DocumentStore } from "../../engine/storage/documents.js";
import { TokenCipher } from "../../infra/secrets/token-cipher.js";
import { slackClientOptions } from "../client-options.js";
import { DocumentInstallationStore } from "./installation-store.js";

/** Where a workspace's bot token comes from: SLACK_BOT_TOKEN (one workspace) or its stored installation. */
export interface WorkspaceTokens {
  /** Rejects with NotInstalledError when the workspace has no installation. */
  botToken(workspace: string): Promise<string>;
}

/** The installation store of OAuth mode (undefined with SLACK_BOT_TOKEN), over the app's documents. */
export function installationStoreFor(config: Config, documents: DocumentStore): DocumentInstallationStore | undefined {
  const oauth = config.slack.oauth;
  return oauth ? new DocumentInstallationStore(documents, new TokenCipher(oauth.tokenEncryptionKey)) : undefined;
}

/** The bot token of every workspace this configuration serves. */
export function workspaceTokens(config: Config, installations: DocumentInstallationStore | undefined): WorkspaceTokens {
  if (installations) return installations;
  const token = config.slack.botToken;
  return {
    async botToken() {
      if (!token) throw new Error("SLACK_BOT_TOKEN is not set");
      return token;
    },
  };
}

/**
 * A Web API client for one workspace, built from the configuration and storage alone — what a process
 * that serves no Slack requests (a worker posting an outcome or a daily question) needs.
 */
export async function clientForWorkspace(
  config: Config,
  documents: DocumentStore,
  workspace: string,
  overrides: WebClientOptions = {},
): Promise<WebClient> {
  const token = await workspaceTokens(config, installationStoreFor(config, documents)).botToken(workspace);
  return new WebClient(token, slackClientOptions(config, overrides));
}
