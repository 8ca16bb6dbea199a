/**
 * Bench, part `scale` (issue 10): processes on one PostgreSQL database.
 *
 * Grading throughput with 1 vs 2 worker processes: one ROLE=app process receives 120 signed answers at
 * once, ROLE=worker processes grade them against a fake LLM of 1 s latency; the time from the first
 * answer to the last critique, and the ratio. Needs TEST_DATABASE_URL (a server to create databases on).
 *
 * Delivery at scale (5,000 subscribers over 2 workers against the rate-limiting fake Slack) is the
 * second half of this part: bench/scale-deliveries.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { loadConfig } from "../src/config.js";
import { pgBossQueueSettings } from "../src/app/jobs.js";
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
  const one = await gradeWithProcesses(1);
  const two = await gradeWithProcesses(2);
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

