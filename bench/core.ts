/**
 * Bench, part 1 (core loop): 200 concurrent signed thread answers against the real HTTP app with a
 * fake LLM of 1 s latency — ack latency p50/p99, time until every critique is posted, peak RSS —
 * and the cost of saving an answer with 1k vs 100k stored answers, as a ratio measured in one run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { InterviewStore } from "../src/engine/store/interview-store.js";
import type { AnswerRecord } from "../src/engine/store/records.js";
import { loadConfig } from "../src/config.js";
import { startSlackApp } from "../src/app/start.js";
import { TEST_SIGNING_SECRET } from "../test/support/signed.js";
import { percentile } from "./stats.js";
import { JsonDocs } from "../src/infra/embedded/json-docs.js";

const ANSWERS = 200;


type WorkerMessage =
  | { kind: "servers"; slackApiUrl: string; openaiUrl: string }
  | { kind: "floor"; acks: number[] }
  | { kind: "thread"; channel: string; ts: string }
  | { kind: "done"; acks: number[]; allPostedMs: number };

/**
 * Times every request on `server` from its arrival to the end of its response: the app's own share of
 * an ack, without the load generator's connection set-up and queueing on a two-core machine.
 */
function timeRequests(server: Server): number[] {
  const times: number[] = [];
  server.prependListener("request", (_req: IncomingMessage, res: ServerResponse) => {
    const t0 = performance.now();
    res.once("finish", () => times.push(performance.now() - t0));
  });
  return times;
}

/** A server that reads each body and answers 200: the same burst against it is the floor of what the load generator can measure. */
async function startBareServer(): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    req.once("end", () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

function stats(values: readonly number[]): string {
  const sorted = ascending(values);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms`;
}

/** The next message of `kind` from the load worker. */
function next<K extends WorkerMessage["kind"]>(child: ChildProcess, kind: K): Promise<Extract<WorkerMessage, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: WorkerMessage) => {
      if (m.kind !== kind) return;
      child.off("message", onMessage);
      resolve(m as Extract<WorkerMessage, { kind: K }>);
    };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`load worker exited (${code})`)));
  });
}

/** The app in this process; Slack, the LLM and the load in another (load-worker.ts), so only the app is measured. */
async function benchConcurrentAnswers(): Promise<void> {
  const child = fork(fileURLToPath(new URL("./load-worker.ts", import.meta.url)), {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, BENCH_ANSWERS: String(ANSWERS) },
  });
  const servers = await next(child, "servers");
  // The same burst, first against a bare HTTP server in this process: what the measurement itself costs.
  const bare = await startBareServer();
  child.send({ kind: "floor", url: `http://127.0.0.1:${(bare.address() as AddressInfo).port}/` });
  const floor = await next(child, "floor");
  await new Promise((resolve) => bare.close(resolve));
  const dataDir = mkdtempSync(join(tmpdir(), "bench-core-"));
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "error",
    DATA_DIR: dataDir,
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_API_URL: servers.slackApiUrl,
    PORT: "0",
    OPENAI_API_KEY: "sk-bench",
    OPENAI_BASE_URL: servers.openaiUrl,
    OPENAI_MODEL: "bench",
    OPENAI_MAX_RETRIES: "0",
  });
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const app = await startSlackApp(config, silent);
  const serverSide = timeRequests(app.server!);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  try {
    child.send({ kind: "app", eventsUrl: `http://127.0.0.1:${app.port}/slack/events` });
    const thread = await next(child, "thread");
    while (!(await app.engine.interview.thread(thread))) await new Promise((r) => setTimeout(r, 10));
    serverSide.length = 0;
    child.send({ kind: "go" });
    const { acks, allPostedMs } = await next(child, "done");
    const acksInApp = serverSide.slice(0, ANSWERS);
    console.log(`core: ${ANSWERS} concurrent signed thread answers; Slack, the LLM (1000 ms latency) and the load run in another process`);
    console.log(`core: ack latency in the app (request in → 200 out) ${stats(acksInApp)} (target p99 < 100 ms)`);
    console.log(`core: ack latency at the client ${stats(acks)} (Slack's limit: 3000 ms); the same burst against a bare HTTP server: ${stats(floor.acks)}`);
    console.log(`core: client-side p99, app / bare server: ${(percentile(ascending(acks), 99) / percentile(ascending(floor.acks), 99)).toFixed(2)}x`);
    console.log(`core: all ${ANSWERS} critiques posted after ${(allPostedMs / 1000).toFixed(2)} s (${(allPostedMs / 1000).toFixed(2)}x the LLM latency)`);
    console.log(`core: peak RSS of the app ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
  } finally {
    clearInterval(sampler);
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Seeds `total` answers over users of 100 answers each, straight to disk. */
function seedStore(dir: string, total: number): void {
  mkdirSync(join(dir, "users"), { recursive: true });
  const perUser = 100;
  for (let u = 0; u < total / perUser; u++) {
    const userId = `USEED${u}`;
    const answers: AnswerRecord[] = Array.from({ length: perUser }, (_, i) => sampleAnswer(userId, i));
    writeFileSync(join(dir, "users", `${userId}.json`), JSON.stringify({ version: 1, userId, createdAt: new Date().toISOString(), asked: [], answers }));
  }
}

function sampleAnswer(userId: string, i: number): AnswerRecord {
  return {
    id: `${userId}-${i}`,
    userId,
    questionId: "ir-ndcg-mrr",
    roundId: "ir-ranking",
    thread: { channel: "C1", ts: `1.${i}` },
    turn: 0,
    text: "An answer of typical length. ".repeat(20),
    createdAt: new Date().toISOString(),
    hintsUsed: 0,
    critique: {
      questionId: "ir-ndcg-mrr",
      roundId: "ir-ranking",
      grader: "offline",
      overall: 2.5,
      signal: null,
      corrections: [],
      dimensions: [{ id: "evaluation", title: "Evaluation", score: 3, justification: "Names NDCG.", evidence: ["NDCG@10"] }],
      strengths: ["metric"],
      gaps: ["position bias"],
      followUp: "Why log2?",
      injectionSuspected: false,
      droppedQuotes: 0,
    },
  };
}

async function timeSaves(total: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "bench-store-"));
  try {
    seedStore(dir, total);
    const store = new InterviewStore(new JsonDocs(dir));
    const saves = 200;
    const t0 = performance.now();
    for (let i = 0; i < saves; i++) {
      const { id: _id, ...answer } = sampleAnswer(`USEED${i % 10}`, 1000 + i);
      await store.saveAnswer(answer);
    }
    return (performance.now() - t0) / saves;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchSaveCost(): Promise<void> {
  const small = await timeSaves(1_000);
  const large = await timeSaves(100_000);
  console.log(`store: save an answer with 1k stored answers ${small.toFixed(2)} ms, with 100k ${large.toFixed(2)} ms — ratio ${(large / small).toFixed(2)} (1.0 = independent of everyone's history)`);
}

export async function runCoreBench(): Promise<void> {
  await benchConcurrentAnswers();
  await benchSaveCost();
}
