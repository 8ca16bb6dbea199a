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
  /** The HTTP server in HTTP mode (the bench times requests on it). */
  server?: Server;
  /**
   * Stops taking new work (Slack requests, scheduled deliveries, paced rounds), then waits up to
   * `graceMs` (default SHUTDOWN_GRACE_MS) for answers being graded or judged. Whatever did not finish
   * stays in the inbox and is handled at the next start.
   */
  stop(graceMs?: number): Promise<{ unfinished: number }>;
}

/** Builds the engine and starts the Slack app (Socket Mode or HTTP). Shared by `npm start` and tests. */
export async function startSlackApp(config: Config, logger: Logger): Promise<RunningApp> {
  const engine = await createEngine(config, logger);
  const schedule = createScheduleFeature(config, engine.interview, logger);
  const loop = createLoopFeature(config, engine.interview, { focus: schedule.scheduler, timeZoneOf: (id) => schedule.people.timeZoneOf(id), logger });
  // A wrong or revoked token stops start-up here, once, with what to do (not a WARN per request).
  const identity = await verifySlackToken(config);
  const { app, deps } = createSlackApp(config, engine.interview, { schedule, loop, inbox: engine.inbox }, identity);
  // Before listening: a corrupt schedule file stops start-up here, naming the file.
  await schedule.scheduler.start();
  // Mock loops paced a round a day: rounds that fell due while the app was down are posted now.
  await loop.pacer.start();
  // Replies a previous process acknowledged but did not finish go first, ahead of anything new.
  const recovered = await deps.replies.recover();
  if (recovered > 0) logger.info(`Resuming ${recovered} answer(s) received before the last stop.`);
  let port: number | undefined;
  let server: Server | undefined;
  try {
    if (config.slack.appToken) {
      await app.start();
      logger.info("Interview coach is running in Socket Mode.");
    } else {
      server = (await app.start(config.slack.port)) as Server;
      port = (server.address() as AddressInfo).port;
      logger.info(`Interview coach is listening on http://localhost:${port}/slack/events`);
    }
  } catch (error) {
    schedule.scheduler.stop();
    loop.pacer.stop();
    await deps.replies.stop(0);
    throw explainSocketModeStartError(error, config);
  }
  let stopping: Promise<{ unfinished: number }> | undefined;
  return {
    app,
    engine,
    deps,
    port,
    server,
    stop: (graceMs = config.shutdownGraceMs) =>
      (stopping ??= (async () => {
        // New requests first: a message that gets no ack is sent again by Slack, to the next process.
        await app.stop().catch((error: Error) => logger.warn(`Stopping the Slack receiver: ${error.message}`));
        schedule.scheduler.stop();
        loop.pacer.stop();
        const result = await deps.replies.stop(graceMs);
        await engine.inbox.close();
        await engine.documents.close();
        return result;
      })()),
  };
}
