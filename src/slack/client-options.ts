import { LogLevel, type WebClientOptions } from "@slack/web-api";
import type { Config } from "../config.js";

/** How long one Web API request may take before it is abandoned (and retried). */
export const SLACK_REQUEST_TIMEOUT_MS = 15_000;

/**
 * Options for every Web API client the app makes, Bolt's own included: a request timeout and a few
 * retries over about ten seconds. The library's default retries for about 30 minutes, logging
 * `http request failed` each time, which hides a wrong host or a dead network behind a wall of WARNs.
 */
export function slackClientOptions(config: Config, overrides: WebClientOptions = {}): WebClientOptions {
  return {
    slackApiUrl: config.slack.apiUrl,
    timeout: SLACK_REQUEST_TIMEOUT_MS,
    retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 4_000, randomize: true },
    logLevel: LogLevel.ERROR,
    ...overrides,
  };
}
