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
   * Stops taking new work (Slack requests, scheduled deliveries, paced rounds), then waits up to
   * `graceMs` (default SHUTDOWN_GRACE_MS) for answers being graded or judged. Whatever did not finish
   * stays in the inbox and is handled at the next start.
   */
  stop(graceMs?: number): Promise<{ unfinished: number }>;
}

/** Builds the engine and starts the Slack app (Socket Mode or HTTP). Shared by `npm start` and tests. */
export async function startSlackApp(config: Config, logger: Logger): Promise<RunningApp> {
  const engine = await createEngine(config, logger);
  const installations = installationStoreFor(config, engine.documents);
  // A wrong or revoked token stops start-up here, once, with what to do (not a WARN per request).
  // In OAuth mode each workspace's token comes from its installation instead.
  const identity = installations ? undefined : await verifySlackToken(config);
  // The root data's workspace: recorded with one token, served from the root again once installed through OAuth.
  if (identity?.teamId) await recordRootWorkspace(engine.documents, identity.teamId).catch((error: Error) => logger.warn(`Could not record the workspace of DATA_DIR's data: ${error.message}`));
  const rootTeam = installations ? await rootWorkspace(engine.documents) : undefined;
  const { app, workspaces, replies } = createSlackApp(config, { interviewFor: engine.interviewFor, inbox: engine.inbox, installations, identity, rootTeam, log: logger });
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
  if (recovered > 0) logger.info(`Resuming ${recovered} answer(s) received before the last stop.`);
  let port: number | undefined;
  let server: Server | undefined;
  try {
    if (config.slack.appToken) {
      await app.start();
      logger.info(`Interview coach is running in Socket Mode.${installations ? ` Install it at http://localhost:${config.slack.port}${INSTALL_PATH}` : ""}`);
    } else {
      server = (await app.start(config.slack.port)) as Server;
      port = (server.address() as AddressInfo).port;
      logger.info(`Interview coach is listening on http://localhost:${port}/slack/events${installations ? `; install it at http://localhost:${port}${INSTALL_PATH}` : ""}`);
    }
  } catch (error) {
    await workspaces.stopAll();
    await replies.stop(0);
    throw explainSocketModeStartError(error, config);
  }
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
    stop: (graceMs = config.shutdownGraceMs) =>
      (stopping ??= (async () => {
        // New requests first: a message that gets no ack is sent again by Slack, to the next process.
        await app.stop().catch((error: Error) => logger.warn(`Stopping the Slack receiver: ${error.message}`));
        await workspaces.stopAll();
        const result = await replies.stop(graceMs);
        await engine.inbox.close();
        return result;
      })()),
  };
}
