import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { App } from "@slack/bolt";
import type { Config } from "../config.js";
import type { QueueName } from "../engine/jobs/ports.js";
import { ReplyJobs, replyQueueFor } from "../engine/inbox/reply-jobs.js";
import { createSlackApp } from "../slack/app.js";
import { explainSocketModeStartError, verifySlackToken } from "../slack/verify-token.js";
import { createLoopFeature, type LoopFeature } from "../slack/loop/feature.js";
import { createScheduleFeature, type ScheduleFeature } from "../slack/schedule/feature.js";
import type { SlackDeps } from "../slack/deps.js";
import { singleWorkspaceClient } from "../slack/workspace-client.js";
import { createEngine, type Engine, type Logger } from "./engine.js";
import { openJobs, type AppJobs } from "./jobs.js";
import { startWork, type RunningWork } from "./work.js";

export interface RunningApp {
  app: App;
  engine: Engine;
  deps: SlackDeps;
  /** HTTP port in HTTP mode (useful when PORT=0). */
  port?: number;
  /** The HTTP server in HTTP mode (the bench times requests on it). */
  server?: Server;
  /**
   * Stops taking new work (Slack requests, scheduled deliveries, paced rounds, jobs), then waits up to
   * `graceMs` (default SHUTDOWN_GRACE_MS) for answers being graded or judged. Whatever did not finish
   * stays in the inbox (and, on PostgreSQL, goes back to the queue for another worker).
   */
  stop(graceMs?: number): Promise<{ unfinished: number }>;
}

export interface RunningWorker {
  engine: Engine;
  queues: QueueName[];
  stop(graceMs?: number): Promise<{ unfinished: number }>;
}

interface Core {
  engine: Engine;
  jobs: AppJobs;
  replies: ReplyJobs;
  schedule: ScheduleFeature;
  loop: LoopFeature;
}

/** What every role builds: the engine, the job queue, the reply jobs and the Slack-side features. */
async function startCore(config: Config, logger: Logger): Promise<Core> {
  const engine = await createEngine(config, logger);
  const jobs = await openJobs(config, logger);
  const replies = new ReplyJobs({
    inbox: engine.inbox,
    jobs,
    route: async (entry) => {
      const thread = await engine.interview.thread({ channel: entry.channel, ts: entry.threadTs });
      return thread ? replyQueueFor(engine.interview.bank, thread.questionId) : "grade";
    },
    logger,
  });
  const schedule = createScheduleFeature(config, engine.interview, logger);
  const loop = createLoopFeature(config, engine.interview, { focus: schedule.scheduler, timeZoneOf: (id) => schedule.people.timeZoneOf(id), logger });
  return { engine, jobs, replies, schedule, loop };
}

/**
 * ROLE=all (default) and ROLE=app: builds the engine and starts the Slack app (Socket Mode or HTTP).
 * `all` also runs every job in this process; `app` only stores replies and sends their jobs. Shared
 * by `npm start` and tests.
 */
export async function startSlackApp(config: Config, logger: Logger): Promise<RunningApp> {
  const { engine, jobs, replies, schedule, loop } = await startCore(config, logger);
  // A wrong or revoked token stops start-up here, once, with what to do (not a WARN per request).
  const identity = await verifySlackToken(config);
  const { app, deps } = createSlackApp(config, engine.interview, { schedule, loop, inbox: engine.inbox, replies }, identity);
  let work: RunningWork | undefined;
  if (config.role === "all") {
    work = await startWork({ config, engine, replies, schedule, loop, clientFor: singleWorkspaceClient(config, app.client), logger });
  }
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
    work?.stop();
    await jobs.stop(0);
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
        work?.stop();
        const result = await jobs.stop(graceMs);
        await engine.inbox.close();
        return result;
      })()),
  };
}

/**
 * ROLE=worker: no Slack receiver. Builds the engine and the Web API client(s) it posts with, and runs
 * the queues in WORKER_QUEUES (the judge queue only where the sandbox works, in production).
 */
export async function startWorker(config: Config, logger: Logger): Promise<RunningWorker> {
  const { engine, jobs, replies, schedule, loop } = await startCore(config, logger);
  await verifySlackToken(config);
  const work = await startWork({ config, engine, replies, schedule, loop, clientFor: singleWorkspaceClient(config), logger }).catch(async (error: unknown) => {
    await jobs.stop(0);
    throw error;
  });
  logger.info(`Interview coach worker is running (queues: ${work.queues.join(", ")}).`);
  let stopping: Promise<{ unfinished: number }> | undefined;
  return {
    engine,
    queues: work.queues,
    stop: (graceMs = config.shutdownGraceMs) =>
      (stopping ??= (async () => {
        work.stop();
        const result = await jobs.stop(graceMs);
        await engine.inbox.close();
        return result;
      })()),
  };
}
