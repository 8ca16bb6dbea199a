/**
 * Bench, part 1 (core loop): 200 concurrent signed thread answers against the real HTTP app with a
 * fake LLM of 1 s latency — ack latency p50/p99, time until every critique is posted, peak RSS —
 * and the cost of saving an answer with 1k vs 100k stored answers, as a ratio measured in one run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { spawn } from "node:child_process";
import { text } from "node:stream/consumers";
import { fileURLToPath } from "node:url";
import { InterviewStore } from "../src/engine/store/interview-store.js";
import type { AnswerRecord } from "../src/engine/store/records.js";
import { startFakeOpenAI } from "../test/support/fake-openai.js";
import { startTestApp } from "../test/support/app.js";
import { eventBody, postSigned, slashCommandBody } from "../test/support/signed.js";

const ANSWERS = 200;

/** Runs the load generator in its own process (load-worker.ts) and returns per-request ack latencies. */
async function sendFromWorker(url: string, bodies: string[]): Promise<number[]> {
  const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));
  const child = spawn(tsx, [fileURLToPath(new URL("./load-worker.ts", import.meta.url))], { stdio: ["pipe", "pipe", "inherit"] });
  child.stdin.end(JSON.stringify({ url, bodies, contentType: "application/json" }));
  const output = await text(child.stdout);
  return JSON.parse(output) as number[];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function benchConcurrentAnswers(): Promise<void> {
  const openai = await startFakeOpenAI({ latencyMs: 1000 });
  const app = await startTestApp({ env: { OPENAI_API_KEY: "sk-bench", OPENAI_BASE_URL: openai.url, OPENAI_MODEL: "bench", OPENAI_MAX_RETRIES: "0" } });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  try {
    await postSigned(app.eventsUrl, slashCommandBody({ text: "ask ir", userId: "UASKER", channelId: "C1", responseUrl: app.slack.responseUrl() }), "application/x-www-form-urlencoded");
    await app.slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage"));
    const threadTs = String(app.slack.callsTo("chat.postMessage")[0]!.response!.ts);
    while (!(await app.running.engine.interview.thread({ channel: "C1", ts: threadTs }))) await new Promise((r) => setTimeout(r, 10));

    const bodies = Array.from({ length: ANSWERS }, (_, i) =>
      eventBody({ type: "message", channel: "C1", user: `U${i}`, ts: `1800000000.${String(i).padStart(6, "0")}`, thread_ts: threadTs, text: `I would combine BM25 with a dense two-tower retriever and evaluate NDCG@10; answer ${i}.` }),
    );
    const started = performance.now();
    const acks = await sendFromWorker(app.eventsUrl, bodies);
    await app.slack.waitFor((cs) => cs.filter((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs).length >= ANSWERS, 120_000);
    const allPosted = performance.now() - started;
    acks.sort((a, b) => a - b);
    console.log(`core: ${ANSWERS} concurrent thread answers from a separate process, fake LLM latency 1000 ms (the fake Slack and LLM servers share the app's process, so their CPU counts against it)`);
    console.log(`core: ack latency p50 ${percentile(acks, 50).toFixed(1)} ms, p99 ${percentile(acks, 99).toFixed(1)} ms (Slack's limit: 3000 ms)`);
    console.log(`core: all ${ANSWERS} critiques posted after ${(allPosted / 1000).toFixed(2)} s (${(allPosted / 1000 / 1).toFixed(2)}x the LLM latency)`);
    console.log(`core: peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
  } finally {
    clearInterval(sampler);
    await app.close();
    await openai.close();
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
      signal: "no-hire",
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
    const store = new InterviewStore(dir);
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
