/**
 * `npm start`: the Slack app, logging JSON lines on stdout (src/ops/logging.ts). Without Slack tokens it
 * explains what is missing and, in a terminal, offers the local practice console instead. Start-up
 * failures are said on stderr in plain words.
 */
import { createInterface } from "node:readline/promises";
import { missingSlackVariables } from "./config.js";
import { configFromEnvironment } from "./app/env.js";

async function main(): Promise<void> {
  const config = configFromEnvironment();
  // A worker posts with the bot token; it receives nothing from Slack, so it needs no signing secret.
  const missing = missingSlackVariables(config).filter((v) => config.role !== "worker" || v === "SLACK_BOT_TOKEN");
  if (missing.length > 0) {
    const message = `Slack is not configured: missing ${missing.join(", ")}. See README.md → "Connecting Slack" (or copy .env.example to .env).`;
    if (!process.stdin.isTTY) {
      console.error(message);
      process.exit(1);
    }
    console.log(message);
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const reply = (await rl.question("Practise in this terminal instead? [Y/n] ")).trim().toLowerCase();
    rl.close();
    if (reply === "" || reply.startsWith("y")) {
      const { runPracticeConsole } = await import("./console/practice.js");
      await runPracticeConsole({ config });
      return;
    }
    process.exit(1);
  }

  // Loaded only now: Bolt alone takes about a second to import, and missing tokens are said at once.
  const { appLogger, createLogger, lifecycleLogger, secretsIn } = await import("./ops/logging.js");
  const log = createLogger({ level: config.logLevel, secrets: secretsIn(config) });
  const logger = appLogger(log);
  const lifecycle = appLogger(lifecycleLogger(log));
  // Signals are handled from here on: one that arrives while starting stops the process once started.
  let running: { stop(): Promise<{ unfinished: number }> } | undefined;
  let requested: NodeJS.Signals | undefined;
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (!running) {
      requested ??= signal;
      return;
    }
    // A second signal while draining means "now".
    if (stopping) {
      lifecycle.warn(`${signal} again: exiting now`, { signal });
      process.exit(1);
    }
    stopping = true;
    lifecycle.info(`${signal}: shutting down; jobs running get up to ${config.shutdownGraceMs} ms`, { signal });
    // Running jobs that do not finish in time go back to the queue (PostgreSQL) or stay in the inbox.
    const { unfinished } = await running.stop().catch((error: Error) => {
      logger.error(`Shutdown: ${error.message}`, { err: error });
      return { unfinished: -1 };
    });
    if (unfinished > 0) {
      const where = config.database ? "they went back to the queue for another worker" : "they are in the inbox and are handled at the next start";
      lifecycle.info(`Stopped with ${unfinished} job(s) unfinished: ${where}.`, { unfinished });
    } else lifecycle.info("Stopped cleanly.");
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  const { startSlackApp, startWorker } = await import("./app/start.js");
  running = config.role === "worker" ? await startWorker(config, logger, { lifecycle }) : await startSlackApp(config, logger, { lifecycle });
  if (requested) await stop(requested);
}

main().catch((error: unknown) => {
  // By name: the classes' modules are not loaded before they are needed (start-up time).
  if (["ContentError", "StoreCorruptError", "SlackTokenError", "PortInUseError", "TokenDecryptError", "StoreUnavailableError", "MigrationError", "WorkerStartError", "ConfigError"].includes((error as Error).name)) {
    console.error((error as Error).message);
  } else {
    console.error(`Start-up failed: ${(error as Error).stack ?? String(error)}`);
  }
  process.exit(1);
});
