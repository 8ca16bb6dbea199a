import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { App } from "@slack/bolt";
import { WebClient } from "@slack/web-api";
import type { Config } from "../config.js";
import { QUEUE_NAMES, type QueueName } from "../engine/jobs/ports.js";
import { ReplyJobs, replyQueueFor } from "../engine/inbox/reply-jobs.js";
import type { Judge } from "../engine/judge/index.js";
import { noTelemetry, type Telemetry } from "../engine/telemetry.js";
import { createSlackApp } from "../slack/app.js";
import { slackClientOptions } from "../slack/client-options.js";
import { explainSocketModeStartError, verifySlackToken, type BotIdentity } from "../slack/verify-token.js";
import type { SlackDeps } from "../slack/deps.js";
import { installationStoreFor, workspaceTokens } from "../slack/oauth/workspace-clients.js";
import { INSTALL_PATH } from "../slack/oauth/scopes.js";
import { recordRootWorkspace, rootWorkspace } from "../slack/oauth/root-workspace.js";
import { SlackWorkspaces } from "../slack/workspaces.js";
import { socketModeHttpServer, whenListening } from "../slack/socket-mode-http.js";
import type { AppMetrics } from "../ops/metrics.js";
import { ForwardingTelemetry } from "../ops/forwarding-telemetry.js";
import { Readiness } from "../ops/readiness.js";
import { opsRoutes } from "../ops/routes.js";
import { boltLogger, secretScrubber, secretsIn } from "../ops/logging.js";
import { createEngine, type Engine, type Logger } from "./engine.js";
import { openJobs, type AppJobs } from "./jobs.js";
import { startWork, workerQueues, type RunningWork } from "./work.js";

export interface RunningApp {
  app: App;
  engine: Engine;
  /** The single workspace's deps (SLACK_BOT_TOKEN mode); in OAuth mode use `workspaces.get(id)`. */
  readonly deps: SlackDeps;
  /** Every workspace served, built on first use (one, the root "", with SLACK_BOT_TOKEN). */
  workspaces: SlackWorkspaces;
  /** The job queue (in this process, or pg-boss with DATABASE_URL). */
  jobs: AppJobs;
  /** HTTP port in HTTP mode (useful when PORT=0). */
  port?: number;
  /** The HTTP server in HTTP mode (the bench times requests on it). */
  server?: Server;
  /**
   * Port of the HTTP server answering /healthz, /readyz and /metrics: `port` in HTTP mode; in Socket
   * Mode the port of the server Bolt's SocketModeReceiver starts for custom routes.
   */
  opsPort?: number;
  /** What GET /readyz checks: register a probe here (see src/ops/readiness.ts). */
  readiness: Readiness;
  /** The app's Prometheus registry (GET /metrics). */
  metrics: AppMetrics;
  /**
   * Stops taking new work (Slack requests, scheduled deliveries, paced rounds, jobs), then waits up to
   * `graceMs` (default SHUTDOWN_GRACE_MS) for jobs running. Whatever did not finish stays in the inbox
   * (and, on PostgreSQL, goes back to the queue for another worker). /readyz answers 503 from the first
   * moment (and for SHUTDOWN_DELAY_MS before anything stops, so a load balancer stops sending first).
   */
  stop(graceMs?: number): Promise<{ unfinished: number }>;
}

export interface RunningWorker {
  engine: Engine;
  queues: QueueName[];
  stop(graceMs?: number): Promise<{ unfinished: number }>;
}

export interface StartOptions {
  /** Start-up and shutdown milestones (listening, draining, stopped); default: `logger`. */
  lifecycle?: Logger;
}

/** What every role builds: the engine, its job queue and reply jobs, and who the workspaces are. */
interface Core {
  engine: Engine;
  jobs: AppJobs;
  replies: ReplyJobs;
  installations: ReturnType<typeof installationStoreFor>;
  identity?: BotIdentity;
  rootTeam?: string;
  /** Set once the workspaces exist (the reply router needs them). */
  bind(workspaces: SlackWorkspaces): void;
}

async function startCore(config: Config, logger: Logger, telemetry: Telemetry): Promise<Core> {
  const engine = await createEngine(config, logger, { telemetry });
  const closeStorage = async () => {
    await engine.inbox.close();
    await engine.documents.close();
  };
  try {
    const installations = installationStoreFor(config, engine.documents);
    // A wrong or revoked token stops start-up here, once, with what to do (not a WARN per request).
    // In OAuth mode each workspace's token comes from its installation instead.
    const identity = installations ? undefined : await verifySlackToken(config);
    // The root data's workspace: recorded with one token, served from the root again once installed through OAuth.
    if (identity?.teamId) {
      await recordRootWorkspace(engine.documents, identity.teamId).catch((error: Error) => logger.warn(`Could not record the workspace of DATA_DIR's data: ${error.message}`));
    }
    const rootTeam = installations ? await rootWorkspace(engine.documents) : undefined;
    const jobs = await openJobs(config, logger);
    let workspaces: SlackWorkspaces | undefined;
    const replies = new ReplyJobs({
      inbox: engine.inbox,
      jobs,
      // Recovery re-sends entries without knowing their queue: a coding question's reply needs the judge.
      route: async (entry) => {
        const runtime = await workspaces!.get(entry.workspace ?? workspaces!.rootWorkspace);
        const thread = await runtime.deps.interview.thread({ channel: entry.channel, ts: entry.threadTs });
        return thread ? replyQueueFor(engine.interview.bank, thread.questionId) : "grade";
      },
      logger,
      telemetry,
    });
    return { engine, jobs, replies, installations, identity, rootTeam, bind: (w) => (workspaces = w) };
  } catch (error) {
    await closeStorage();
    throw error;
  }
}

/** Which of the workspaces' timers run here: the daily scheduler with the deliver queue, the pacer with loop. */
function timersFor(queues: readonly QueueName[]) {
  return { deliver: queues.includes("deliver"), loop: queues.includes("loop") };
}

/** Queue depths for /metrics, read from the queue every few seconds (a scrape must not wait on the database). */
function watchQueueDepths(metrics: AppMetrics, jobs: AppJobs, logger: Logger): () => void {
  const depths = new Map<QueueName, number>(QUEUE_NAMES.map((q) => [q, 0]));
  for (const queue of QUEUE_NAMES) metrics.watchQueueDepth(queue, () => depths.get(queue) ?? 0);
  const sample = () =>
    Promise.all(QUEUE_NAMES.map(async (q) => depths.set(q, await jobs.depth(q)))).catch((error: Error) => logger.warn(`Reading queue depths: ${error.message}`));
  void sample();
  const timer = setInterval(sample, 5_000);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * ROLE=all (default) and ROLE=app: builds the engine and starts the Slack app (Socket Mode or HTTP).
 * `all` also runs every job in this process; `app` only stores replies and sends their jobs. Shared by
 * `npm start` and tests.
 */
export async function startSlackApp(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningApp> {
  const lifecycle = options.lifecycle ?? logger;
  // prom-client takes a few hundred ms to load on a busy machine: it loads beside start-up, not in its
  // way; what the engine reports meanwhile is held and replayed (ForwardingTelemetry).
  const telemetry = new ForwardingTelemetry();
  const metricsReady = import("../ops/metrics.js").then(({ createMetrics }) => createMetrics());
  metricsReady.catch(() => undefined); // awaited below; a start-up that fails earlier leaves it unobserved
  const readiness = new Readiness({ redact: secretScrubber(secretsIn(config)) });
  const core = await startCore(config, logger, telemetry);
  const { engine, jobs, replies, installations, identity, rootTeam } = core;
  const queues = workerQueues(config, engine.judge, logger);
  const customRoutes = opsRoutes({ readiness, metrics: metricsReady, onError: (err) => logger.error("Serving an operations endpoint failed", { err }) });
  const { app, workspaces } = createSlackApp(config, {
    interviewFor: engine.interviewFor,
    inbox: engine.inbox,
    replies,
    timers: timersFor(queues),
    installations,
    identity,
    rootTeam,
    log: logger,
    logger,
    telemetry,
    customRoutes,
  });
  core.bind(workspaces);
  readiness.register(judgeProbe(engine.judge, config));
  // With PostgreSQL: the database answers and every migration of this code is applied.
  for (const probe of engine.readiness) readiness.register(probe);
  let work: RunningWork | undefined;
  const abandon = async () => {
    await work?.stop();
    await workspaces.stopAll();
    await jobs.stop(0);
    await engine.inbox.close();
    await engine.documents.close();
  };
  try {
    // Before listening: a corrupt schedule document stops start-up here, naming it.
    if (queues.length > 0) work = await startWork({ config, engine, replies, workspaces, queues, logger });
    else await workspaces.startAll();
  } catch (error) {
    await abandon();
    throw error;
  }
  // The single workspace's deps, built above.
  const deps = installations ? undefined : (await workspaces.get("")).deps;
  let port: number | undefined;
  let opsPort: number | undefined;
  let server: Server | undefined;
  try {
    if (config.slack.appToken) {
      const opsServer = socketModeHttpServer(app);
      const listening = opsServer ? whenListening(opsServer, config.slack.port) : Promise.resolve(undefined);
      // A busy PORT fails start-up with its own message (caught below), not an unhandled 'error' event.
      listening.catch(() => undefined);
      await app.start();
      opsPort = await listening;
      lifecycle.info(
        `Interview coach is running in Socket Mode${opsPort !== undefined ? `; /healthz, /readyz and /metrics on http://localhost:${opsPort}` : ""}.` +
          (installations ? ` Install it at http://localhost:${config.slack.port}${INSTALL_PATH}` : ""),
      );
    } else {
      server = (await app.start(config.slack.port)) as Server;
      port = opsPort = (server.address() as AddressInfo).port;
      lifecycle.info(`Interview coach is listening on http://localhost:${port}/slack/events${installations ? `; install it at http://localhost:${port}${INSTALL_PATH}` : ""}`);
    }
  } catch (error) {
    if (config.slack.appToken) await app.stop().catch(() => undefined);
    await abandon();
    throw explainSocketModeStartError(error, config);
  }
  const metrics = await metricsReady;
  const stopWatching = watchQueueDepths(metrics, jobs, logger);
  telemetry.attach(metrics.telemetry);
  let stopping: Promise<{ unfinished: number }> | undefined;
  return {
    app,
    engine,
    get deps(): SlackDeps {
      if (!deps) throw new Error("OAuth mode serves many workspaces: use workspaces.get(id)");
      return deps;
    },
    workspaces,
    jobs,
    port,
    server,
    opsPort,
    readiness,
    metrics,
    stop: (graceMs = config.shutdownGraceMs) =>
      (stopping ??= (async () => {
        // Readiness first: a load balancer polling /readyz stops sending work here.
        readiness.beginDrain();
        const delayMs = config.shutdownDelayMs;
        lifecycle.info(`Draining: /readyz answers 503${delayMs > 0 ? `; still serving for ${delayMs} ms (SHUTDOWN_DELAY_MS)` : ""}`);
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        // New requests next: a message that gets no ack is sent again by Slack, to the next process.
        await app.stop().catch((error: Error) => logger.warn(`Stopping the Slack receiver: ${error.message}`, { err: error }));
        await work?.stop();
        await workspaces.stopAll();
        stopWatching();
        lifecycle.info(`Draining: no new work taken; waiting up to ${graceMs} ms for the jobs running`);
        const result = await jobs.stop(graceMs);
        await engine.inbox.close();
        await engine.documents.close();
        if (result.unfinished > 0) lifecycle.warn(`Drained with ${result.unfinished} job(s) unfinished: they stay in the inbox (or go back to the queue) for the next worker`);
        else lifecycle.info("Drained: every job in flight finished");
        return result;
      })()),
  };
}

/**
 * ROLE=worker: no Slack receiver. Builds the engine and the Web API client(s) it posts with (each
 * workspace's own token), and runs the queues in WORKER_QUEUES (the judge queue only where the sandbox
 * works, in production).
 */
export async function startWorker(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningWorker> {
  const lifecycle = options.lifecycle ?? logger;
  // A worker serves no /metrics: nothing would ever read what it counted.
  const telemetry = noTelemetry;
  const core = await startCore(config, logger, telemetry);
  const { engine, jobs, replies, installations, rootTeam } = core;
  let workspaces: SlackWorkspaces | undefined;
  let work: RunningWork;
  try {
    const queues = workerQueues(config, engine.judge, logger);
    workspaces = new SlackWorkspaces({
      config,
      interviewFor: engine.interviewFor,
      tokens: workspaceTokens(config, installations),
      installations,
      rootTeam,
      inbox: engine.inbox,
      replies,
      timers: timersFor(queues),
      appClient: installations ? undefined : new WebClient(config.slack.botToken, slackClientOptions(config)),
      logger: boltLogger(logger, config.logLevel),
      log: logger,
      telemetry,
    });
    core.bind(workspaces);
    work = await startWork({ config, engine, replies, workspaces, queues, logger });
  } catch (error) {
    await workspaces?.stopAll();
    await jobs.stop(0);
    await engine.inbox.close();
    await engine.documents.close();
    throw error;
  }
  lifecycle.info(`Interview coach worker is running (queues: ${work.queues.join(", ")}).`);
  let stopping: Promise<{ unfinished: number }> | undefined;
  return {
    engine,
    queues: work.queues,
    stop: (graceMs = config.shutdownGraceMs) =>
      (stopping ??= (async () => {
        await work.stop();
        lifecycle.info(`Draining: no new jobs taken; waiting up to ${graceMs} ms for the jobs running`);
        const result = await jobs.stop(graceMs);
        await engine.inbox.close();
        await engine.documents.close();
        return result;
      })()),
  };
}

/** The judge's start-up self-test as a readiness probe. Required in production, where code must run sandboxed. */
function judgeProbe(judge: Judge, config: Config) {
  return {
    name: "judge",
    // Elsewhere a judge that is off is the documented degraded mode (coding answers graded as text).
    required: config.nodeEnv === "production",
    check: async () => ({
      ok: judge.available,
      detail: `${judge.mode}${judge.languages.length > 0 ? ` (${judge.languages.join(", ")})` : ""}${judge.reason ? `: ${judge.reason}` : ""}`,
    }),
  };
}
