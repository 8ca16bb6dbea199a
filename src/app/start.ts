import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { App } from "@slack/bolt";
import type { Config } from "../config.js";
import { createSlackApp } from "../slack/app.js";
import { explainSocketModeStartError, verifySlackToken } from "../slack/verify-token.js";
import { createLoopFeature } from "../slack/loop/feature.js";
import { createScheduleFeature } from "../slack/schedule/feature.js";
import type { SlackDeps } from "../slack/deps.js";
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
  const engine = await createEngine(config, logger);
  const schedule = createScheduleFeature(config, engine.interview, logger);
  const loop = createLoopFeature(config, engine.interview, { focus: schedule.scheduler, timeZoneOf: (id) => schedule.people.timeZoneOf(id), logger });
  // A wrong or revoked token stops start-up here, once, with what to do (not a WARN per request).
  const identity = await verifySlackToken(config);
  const { app, deps } = createSlackApp(config, engine.interview, { schedule, loop }, identity);
  // Before listening: a corrupt schedule file stops start-up here, naming the file.
  await schedule.scheduler.start();
  // Mock loops paced a round a day: rounds that fell due while the app was down are posted now.
  await loop.pacer.start();
  let port: number | undefined;
  try {
    if (config.slack.appToken) {
      await app.start();
      logger.info("Interview coach is running in Socket Mode.");
    } else {
      const server = (await app.start(config.slack.port)) as Server;
      port = (server.address() as AddressInfo).port;
      logger.info(`Interview coach is listening on http://localhost:${port}/slack/events`);
    }
  } catch (error) {
    schedule.scheduler.stop();
    loop.pacer.stop();
    throw explainSocketModeStartError(error, config);
  }
  return {
    app,
    engine,
    deps,
    port,
    stop: async () => {
      schedule.scheduler.stop();
      loop.pacer.stop();
      await app.stop();
    },
  };
}
