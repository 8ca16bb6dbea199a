import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { App } from "@slack/bolt";
import type { Config } from "../config.js";
import { createSlackApp } from "../slack/app.js";
import { explainSocketModeStartError, verifySlackToken } from "../slack/verify-token.js";
import type { SlackDeps } from "../slack/deps.js";
import { installationStoreFor } from "../slack/oauth/workspace-clients.js";
import { INSTALL_PATH } from "../slack/oauth/scopes.js";
import { recordRootWorkspace, rootWorkspace } from "../slack/oauth/root-workspace.js";
import type { SlackWorkspaces } from "../slack/workspaces.js";
import { createEngine, type Engine, type Logger } from "./engine.js";
import type { AppMetrics } from "../ops/metrics.js";
import { ForwardingTelemetry } from "../ops/forwarding-telemetry.js";
import { Readiness } from "../ops/readiness.js";
import { opsRoutes } from "../ops/routes.js";
import { secretScrubber, secretsIn } from "../ops/logging.js";
import { socketModeHttpServer, whenListening } from "../slack/socket-mode-http.js";
import type { Judge } from "../engine/judge/index.js";

export interface RunningApp {
  app: App;
  engine: Engine;
  /** The single workspace's deps (SLACK_BOT_TOKEN mode); in OAuth mode use `workspaces.get(id)`. */
  readonly deps: SlackDeps;
  /** Every workspace served, built on first use (one, the root "", with SLACK_BOT_TOKEN). */
  workspaces: SlackWorkspaces;
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
   * Stops taking new work (Slack requests, scheduled deliveries, paced rounds), then waits up to
   * `graceMs` (default SHUTDOWN_GRACE_MS) for answers being graded or judged. Whatever did not finish
   * stays in the inbox and is handled at the next start. /readyz answers 503 from the first moment
   * (and for SHUTDOWN_DELAY_MS before anything stops, so a load balancer stops sending first).
   */
  stop(graceMs?: number): Promise<{ unfinished: number }>;
}

export interface StartOptions {
  /** Start-up and shutdown milestones (listening, draining, stopped); default: `logger`. */
  lifecycle?: Logger;
}

/** Builds the engine and starts the Slack app (Socket Mode or HTTP). Shared by `npm start` and tests. */
export async function startSlackApp(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningApp> {
  const lifecycle = options.lifecycle ?? logger;
  // prom-client takes a few hundred ms to load on a busy machine: it loads beside start-up, not in its
  // way; what the engine reports meanwhile is held and replayed (ForwardingTelemetry).
  const telemetry = new ForwardingTelemetry();
  const metricsReady = import("../ops/metrics.js").then(({ createMetrics }) => createMetrics());
  metricsReady.catch(() => undefined); // awaited below; a start-up that fails earlier leaves it unobserved
  const readiness = new Readiness({ redact: secretScrubber(secretsIn(config)) });
  const engine = await createEngine(config, logger, { telemetry });
  const installations = installationStoreFor(config, engine.documents);
  // A wrong or revoked token stops start-up here, once, with what to do (not a WARN per request).
  // In OAuth mode each workspace's token comes from its installation instead.
  const identity = installations ? undefined : await verifySlackToken(config);
  // The root data's workspace: recorded with one token, served from the root again once installed through OAuth.
  if (identity?.teamId) await recordRootWorkspace(engine.documents, identity.teamId).catch((error: Error) => logger.warn(`Could not record the workspace of DATA_DIR's data: ${error.message}`));
  const rootTeam = installations ? await rootWorkspace(engine.documents) : undefined;
  const customRoutes = opsRoutes({ readiness, metrics: metricsReady, onError: (err) => logger.error("Serving an operations endpoint failed", { err }) });
  const { app, workspaces, replies } = createSlackApp(config, {
    interviewFor: engine.interviewFor,
    inbox: engine.inbox,
    installations,
    identity,
    rootTeam,
    log: logger,
    logger,
    telemetry,
    customRoutes,
  });
  readiness.register(judgeProbe(engine.judge, config));
  // With PostgreSQL: the database answers and every migration of this code is applied.
  for (const probe of engine.readiness) readiness.register(probe);
  // Before listening: a corrupt schedule file stops start-up here, naming the file (single-workspace mode).
  await workspaces.startAll().catch(async (error: unknown) => {
    await workspaces.stopAll();
    await engine.inbox.close();
    throw error;
  });
  // The single workspace's deps, built by startAll above.
  const deps = installations ? undefined : (await workspaces.get("")).deps;
  // Replies a previous process acknowledged but did not finish go first, ahead of anything new.
  const recovered = await replies.recover();
  if (recovered > 0) lifecycle.info(`Resuming ${recovered} answer(s) received before the last stop.`);
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
    await workspaces.stopAll();
    await replies.stop(0);
    throw explainSocketModeStartError(error, config);
  }
  const metrics = await metricsReady;
  metrics.watchQueueDepth("judge", () => engine.judge.queue.active + engine.judge.queue.queued);
  metrics.watchQueueDepth("grade", () => replies.backlog);
  metrics.watchQueueDepth("deliver", () => workspaces.deliveryBacklog());
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
        await workspaces.stopAll();
        lifecycle.info(`Draining: no new work taken; waiting up to ${graceMs} ms for ${replies.backlog} answer(s) being graded`);
        const result = await replies.stop(graceMs);
        await engine.inbox.close();
        await engine.documents.close();
        if (result.unfinished > 0) lifecycle.warn(`Drained with ${result.unfinished} answer(s) unfinished: they stay in the inbox for the next start`);
        else lifecycle.info("Drained: every answer in flight finished");
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
