/**
 * Replies through pg-boss in real processes (ROLE=all with DATABASE_URL): every acknowledged answer is
 * critiqued exactly once, and answers whose grading was in flight when the process was killed with
 * SIGKILL are taken over by the next process once their lease runs out — read from the thread first, so
 * nothing is posted twice.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../support/postgres.js";
import { postSigned } from "../support/signed.js";
import { startAppProcess, type AppProcess } from "../durability/support/app-process.js";
import { answerBody, askQuestion, postInBatches, postsFor } from "./support/replies.js";

/** How many grade jobs are in each pg-boss state. */
async function jobStates(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ state: string; n: number }>("SELECT state, count(*)::int AS n FROM pgboss.job WHERE name = 'grade' GROUP BY state");
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  } finally {
    await client.end();
  }
}

describe.skipIf(!TEST_DATABASE_URL)("replies on pg-boss, one process at a time", () => {
  let slack: FakeSlack;
  let openai: FakeOpenAI;
  let db: TestDatabase;
  let dataDir: string;
  const apps: AppProcess[] = [];
  const start = async (extra: Record<string, string> = {}) => {
    const app = await startAppProcess({
      ...extra,
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      SLACK_API_URL: slack.apiUrl,
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: openai.url,
      OPENAI_MAX_RETRIES: "0",
    });
    apps.push(app);
    return app;
  };

  beforeEach(async () => {
    slack = await startFakeSlack();
    openai = await startFakeOpenAI();
    db = await createTestDatabase("replies");
    dataDir = mkdtempSync(join(tmpdir(), "coach-pgjobs-"));
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) if (app.child.exitCode === null && app.child.signalCode === null) await app.crash();
    await slack.close();
    await openai.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("critiques each answer once, and takes over the answers a killed process was grading within a minute", async () => {
    const first = await start();
    const threadTs = await askQuestion(first.eventsUrl, slack);
    // An LLM that takes a moment, like a real one: grading waits on the network, not on this CPU.
    openai.setLatency(300);
    const answers = Array.from({ length: 12 }, (_, i) => answerBody(threadTs, i));
    const statuses = await postInBatches(first.eventsUrl, answers);
    expect(statuses).toEqual(answers.map(() => 200));
    await slack.waitFor(() => answers.every((a) => postsFor(slack, a.ts) === 1), 60_000);

    // Grading is slow now: the process dies with answers mid-grade (their jobs active, leases held).
    openai.setLatency(4_000);
    const inFlight = Array.from({ length: 6 }, (_, i) => answerBody(threadTs, 100 + i));
    expect(await postInBatches(first.eventsUrl, inFlight)).toEqual(inFlight.map(() => 200));
    await new Promise((r) => setTimeout(r, 1_500));
    await first.crash();
    expect(inFlight.every((a) => postsFor(slack, a.ts) === 0)).toBe(true);
    openai.setLatency(0);

    const killedAt = Date.now();
    await start();
    await slack.waitFor(() => inFlight.every((a) => postsFor(slack, a.ts) >= 1), 90_000);
    // The lease (30 s) plus a maintenance turn (10 s) plus the retry delay: well within a minute.
    expect(Date.now() - killedAt).toBeLessThan(75_000);
    await new Promise((r) => setTimeout(r, 2_000));
    for (const a of [...answers, ...inFlight]) expect(postsFor(slack, a.ts), `answer ${a.ts}`).toBe(1);
  }, 180_000);

  it("on SIGTERM hands the answers it could not finish back to the queue, and the next process posts each once", async () => {
    const first = await start({ SHUTDOWN_GRACE_MS: "500" });
    const threadTs = await askQuestion(first.eventsUrl, slack);
    openai.setLatency(6_000);
    const inFlight = Array.from({ length: 4 }, (_, i) => answerBody(threadTs, 200 + i));
    for (const a of inFlight) expect((await postSigned(first.eventsUrl, a.body, "application/json")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await first.signal("SIGTERM")).toBe(0);
    expect(first.output()).toMatch(/Stopped with [1-4] job\(s\) unfinished: they went back to the queue for another worker\./);
    // Handed back, not left to expire: nothing is still marked running under the stopped process's lease.
    const states = await jobStates(db.url);
    expect(states.active ?? 0).toBe(0);
    expect(states.retry ?? 0).toBeGreaterThanOrEqual(1);
    openai.setLatency(0);
    await start();
    await slack.waitFor(() => inFlight.every((a) => postsFor(slack, a.ts) >= 1), 60_000);
    await new Promise((r) => setTimeout(r, 2_000));
    for (const a of inFlight) expect(postsFor(slack, a.ts), `answer ${a.ts}`).toBe(1);
  }, 120_000);
});
