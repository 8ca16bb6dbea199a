import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { App } from "@slack/bolt";
import type { Config } from "../config.js";
import { createSlackApp } from "../slack/app.js";
import type { SlackDeps } from "../slack/deps.js";
import { createCodeRunner } from "./code-runner.js";
import { createEngine, type Engine, type Logger } from "./engine.js";

export interface RunningApp {
  app: App;
  engine: Engine;
  deps: SlackDeps;
  /** HTTP port in HTTP mode (useful when PORT=0). */
  port?: number;
  stop(): Promise<void>;
}

/** Builds the engine and starts the Slack app (Socket Mode or HTTP). Shared by `npm start` and tests. */
export async function startSlackApp(config: Config, logger: Logger): Promise<RunningApp> {
  const code = await createCodeRunner(config, logger);
  const engine = await createEngine(config, logger, { code });
  const { app, deps } = createSlackApp(config, engine.interview);
  let port: number | undefined;
  if (config.slack.appToken) {
    await app.start();
    logger.info("Interview coach is running in Socket Mode.");
  } else {
    const server = (await app.start(config.slack.port)) as Server;
    port = (server.address() as AddressInfo).port;
    logger.info(`Interview coach is listening on http://localhost:${port}/slack/events`);
  }
  return { app, engine, deps, port, stop: () => app.stop().then(() => undefined) };
}
