/**
 * Bench, part `scale` (issue 10): processes on one PostgreSQL database.
 *
 * Grading throughput with 1 vs 2 worker processes: one ROLE=app process receives 120 signed answers at
 * once, ROLE=worker processes grade them against a fake LLM of 1 s latency; the time from the first
 * answer to the last critique, and the ratio. Needs TEST_DATABASE_URL (a server to create databases on) and the
 * PostgreSQL storage (every process must see the same inbox); without that storage it measures the same
 * thing one level down — reply jobs through pg-boss to 1 vs 2 worker queues whose handler waits on the
 * fake LLM — and says so.
 *
 * Delivery at scale (5,000 subscribers over 2 workers against the rate-limiting fake Slack) is the
 * second half of this part: bench/scale-deliveries.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { loadConfig } from "../src/config.js";
import { openStorage } from "../src/app/storage.js";
import { pgBossQueueSettings } from "../src/app/jobs.js";
import { JournalInbox } from "../src/infra/embedded/journal-inbox.js";
import { PgBossJobs } from "../src/infra/postgres/pg-boss-jobs.js";
import { startFakeOpenAI, type FakeOpenAI } from "../test/support/fake-openai.js";
import { startFakeSlack, type FakeSlack } from "../test/support/fake-slack.js";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../test/support/postgres.js";
import { postSigned } from "../test/support/signed.js";
import { startAppProcess, startWorkerProcess } from "../test/durability/support/app-process.js";
import { answerBody, askQuestion, postsFor } from "../test/jobs/support/replies.js";
import { runScaleDeliveriesBench } from "./scale-deliveries.js";

const ANSWERS = 120;
const LLM_LATENCY_MS = 1_000;

export async function runScaleBench(): Promise<void> {
  if (!TEST_DATABASE_URL) {
    console.log("scale: skipped (set TEST_DATABASE_URL to a PostgreSQL server)");
    return;
  }
  await runGradingScale();
  await runScaleDeliveriesBench();
}

async function runGradingScale(): Promise<void> {
  const shared = await storageIsShared();
  const measure = shared ? gradeWithProcesses : gradeWithQueues;
  if (!shared) console.log("grading: the PostgreSQL storage is not in this build, so processes cannot share an inbox; measuring reply jobs through pg-boss instead");
  const one = await measure(1);
  const two = await measure(2);
  console.log(
    `grading ${ANSWERS} answers, LLM latency ${LLM_LATENCY_MS} ms, ${pgBossQueueSettings(loadConfig({})).grade.concurrency} per worker: ` +
      `1 worker ${(one / 1000).toFixed(1)} s (${((ANSWERS * 1000) / one).toFixed(1)}/s) | 2 workers ${(two / 1000).toFixed(1)} s (${((ANSWERS * 1000) / two).toFixed(1)}/s) | ratio ${(one / two).toFixed(2)}x`,
  );
}

/** Real processes: one app, `workers` workers; ms from the first answer sent to the last critique posted. */
async function gradeWithProcesses(workers: number): Promise<number> {
  return withServers(async (db, slack, openai) => {
    const dirs: string[] = [];
    const env = () => {
      const dir = mkdtempSync(join(tmpdir(), "coach-scale-"));
      dirs.push(dir);
      return { DATA_DIR: dir, DATABASE_URL: db.url, SLACK_API_URL: slack.apiUrl, OPENAI_API_KEY: "sk-bench", OPENAI_BASE_URL: openai.url, OPENAI_MAX_RETRIES: "0" };
    };
    const app = await startAppProcess({ ...env(), ROLE: "app" });
    const procs = [app, ...(await Promise.all(Array.from({ length: workers }, () => startWorkerProcess({ ...env(), WORKER_QUEUES: "grade" }))))];
    try {
      const threadTs = await askQuestion(app.eventsUrl, slack);
      openai.setLatency(LLM_LATENCY_MS);
      const answers = Array.from({ length: ANSWERS }, (_, i) => answerBody(threadTs, i));
      const t0 = performance.now();
      await Promise.all(answers.map((a) => postSigned(app.eventsUrl, a.body, "application/json")));
      await slack.waitFor(() => answers.every((a) => postsFor(slack, a.ts) >= 1), 300_000);
      return performance.now() - t0;
    } finally {
      for (const p of procs) await p.crash();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** One level down: grade jobs through pg-boss to `workers` queues (separate connections), each job one LLM call. */
async function gradeWithQueues(workers: number): Promise<number> {
  return withServers(async (db, _slack, openai) => {
    openai.setLatency(LLM_LATENCY_MS);
    const settings = pgBossQueueSettings(loadConfig({}));
    const logger = { warn: () => undefined, error: (m: string) => console.error(m) };
    const open = () => PgBossJobs.start({ connectionString: db.url, queues: settings, logger });
    const sender = await open();
    const pool = await Promise.all(Array.from({ length: workers }, open));
    let done = 0;
    try {
      for (const queue of pool) {
        await queue.work("grade", async () => {
          const res = await fetch(`${openai.url}/chat/completions`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: "Bearer sk-bench" },
            body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "grade" }] }),
          });
          await res.arrayBuffer();
          done += 1;
        });
      }
      const t0 = performance.now();
      await Promise.all(Array.from({ length: ANSWERS }, (_, i) => sender.send("grade", { id: `reply-${i}` }, { key: `reply-${i}` })));
      while (done < ANSWERS) await new Promise((r) => setTimeout(r, 20));
      return performance.now() - t0;
    } finally {
      for (const queue of [sender, ...pool]) await queue.stop(0);
    }
  });
}

async function withServers<T>(run: (db: TestDatabase, slack: FakeSlack, openai: FakeOpenAI) => Promise<T>): Promise<T> {
  const db = await createTestDatabase("scale");
  const slack = await startFakeSlack();
  const openai = await startFakeOpenAI();
  try {
    return await run(db, slack, openai);
  } finally {
    await slack.close();
    await openai.close();
    await db.drop();
  }
}

/** True once DATABASE_URL puts the inbox in PostgreSQL, shared by every process. */
async function storageIsShared(): Promise<boolean> {
  const db = await createTestDatabase("probe");
  const dataDir = mkdtempSync(join(tmpdir(), "coach-probe-"));
  try {
    const storage = await openStorage(loadConfig({ DATABASE_URL: db.url, DATA_DIR: dataDir }));
    const shared = !(storage.inbox instanceof JournalInbox);
    await storage.inbox.close();
    return shared;
  } finally {
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
