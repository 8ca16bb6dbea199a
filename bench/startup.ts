/**
 * Bench, part 4 (startup): how long a person waits. Time to the first question in the practice
 * console, to "listening" for the Slack app (HTTP mode, against a local fake Slack Web API), and for
 * `npm start` without tokens to say so. Each is a fresh `node dist/…` process, as `npm run practice` /
 * `npm start` run it; the same console through tsx (the source, compiled at start) is the ratio's base.
 * Targets: first question and "listening" under 2 s, missing tokens under 1 s.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { startFakeSlack } from "../test/support/fake-slack.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "../..");
const RUNS = 5;

interface Timed {
  ms: number;
  output: string;
}

/** Spawns `argv`, resolves with the time until stdout+stderr match `ready` (then stops it) or it exits. */
function timeUntil(argv: string[], env: Record<string, string>, ready: RegExp | "exit", input?: string): Promise<Timed> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    let done = false;
    const finish = (ms: number) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (child.exitCode === null) {
        if (input !== undefined) child.stdin.end(input);
        child.kill("SIGTERM");
      }
      resolvePromise({ ms, output });
    };
    const onData = (d: Buffer) => {
      output += d.toString();
      if (ready !== "exit" && ready.test(output)) finish(performance.now() - started);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", () => (ready === "exit" ? finish(performance.now() - started) : done || reject(new Error(`exited before ready: ${output}`))));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`not ready in 30 s: ${output}`));
    }, 30_000);
  });
}

async function series(label: string, run: () => Promise<Timed>, targetMs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await run()).ms);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(
    `${label.padEnd(44)} median ${median.toFixed(0).padStart(5)} ms · min ${times[0]!.toFixed(0)} · max ${times.at(-1)!.toFixed(0)} · target < ${targetMs} ms ${median < targetMs ? "OK" : "MISSED"}`,
  );
  return median;
}

export async function runStartupBench(): Promise<void> {
  if (!existsSync(join(ROOT, "dist/main.js"))) {
    console.log("dist/ is missing: run `npm run build` (npm install does it) first.");
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), "bench-startup-"));
  const node = process.execPath;
  const consoleEnv = { DATA_DIR: dataDir, NODE_ENV: "production" };
  const firstQuestion = /── .+ ──/;
  // One warm-up run (the parsed-rounds cache is filled on the first start after an edit).
  await timeUntil([node, "dist/console/main.js", "--round", "mlsd"], consoleEnv, firstQuestion, "quit\n");
  const consoleMs = await series("console: first question (node dist)", () => timeUntil([node, "dist/console/main.js", "--round", "mlsd"], consoleEnv, firstQuestion, "quit\n"), 2000);
  const tsx = await timeUntil([join(ROOT, "node_modules/.bin/tsx"), "src/console/main.ts", "--round", "mlsd"], consoleEnv, firstQuestion, "quit\n");
  console.log(`${"console: first question (tsx src, 1 run)".padEnd(44)} ${tsx.ms.toFixed(0).padStart(5)} ms · compiled start is ${(tsx.ms / consoleMs).toFixed(1)}× faster`);

  await series("npm start without tokens: message and exit", () => timeUntil([node, "dist/main.js"], { DATA_DIR: dataDir }, "exit"), 1000);

  const slack = await startFakeSlack();
  try {
    const appEnv = {
      DATA_DIR: dataDir,
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_SIGNING_SECRET: "bench-secret",
      SLACK_API_URL: slack.apiUrl,
      PORT: "0",
      LOG_LEVEL: "error",
    };
    await series("app: \"listening\" (HTTP mode)", () => timeUntil([node, "dist/main.js"], appEnv, /listening on http/), 2000);
  } finally {
    await slack.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
