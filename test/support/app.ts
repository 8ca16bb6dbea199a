import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, type Config } from "../../src/config.js";
import { startSlackApp, type RunningApp } from "../../src/app/start.js";
import type { Logger } from "../../src/app/engine.js";
import { startFakeSlack, type FakeSlack } from "./fake-slack.js";
import { TEST_SIGNING_SECRET } from "./signed.js";

export const TEST_BOT_TOKEN = "xoxb-canary-bot-token-do-not-leak";

export interface TestApp {
  running: RunningApp;
  slack: FakeSlack;
  dataDir: string;
  eventsUrl: string;
  config: Config;
  /** Stops the app but keeps the data dir (restart tests). */
  stopApp(): Promise<void>;
  close(): Promise<void>;
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The real app in HTTP mode on a random port, against a fake Slack Web API (and optionally a fake
 * OpenAI server), with its own temporary DATA_DIR.
 */
export async function startTestApp(
  options: { env?: Record<string, string>; dataDir?: string; slack?: FakeSlack; /** Default: silent. */ logger?: Logger } = {},
): Promise<TestApp> {
  const slack = options.slack ?? (await startFakeSlack());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "coach-data-"));
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "error",
    DATA_DIR: dataDir,
    SLACK_BOT_TOKEN: TEST_BOT_TOKEN,
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: "0",
    ...options.env,
  });
  const running = await startSlackApp(config, options.logger ?? silent);
  const eventsUrl = `http://127.0.0.1:${running.port}/slack/events`;
  let stopped = false;
  const stopApp = async () => {
    if (!stopped) await running.stop();
    stopped = true;
  };
  return {
    running,
    slack,
    dataDir,
    eventsUrl,
    config,
    stopApp,
    async close() {
      await stopApp();
      if (!options.slack) await slack.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
