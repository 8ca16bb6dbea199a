/**
 * ROLE=app on PostgreSQL: Slack's request is acknowledged only after the answer is stored and its job is
 * in the shared queue — `judge` for a coding question, `grade` otherwise — and the app itself grades
 * nothing (workers do). A redelivered answer queues nothing more.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PgBossJobs } from "../../src/infra/postgres/pg-boss-jobs.js";
import { pgBossQueueSettings } from "../../src/app/jobs.js";
import { loadConfig } from "../../src/config.js";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../support/postgres.js";
import { eventBody, postSigned, slashCommandBody } from "../support/signed.js";
import { answerBody, askQuestion, CHANNEL, postsFor } from "./support/replies.js";

describe.skipIf(!TEST_DATABASE_URL)("ROLE=app", () => {
  let db: TestDatabase;
  let openai: FakeOpenAI;
  let app: TestApp;
  let queue: PgBossJobs;

  beforeEach(async () => {
    db = await createTestDatabase("approle");
    openai = await startFakeOpenAI();
    app = await startTestApp({ env: { ROLE: "app", DATABASE_URL: db.url, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: openai.url } });
    // Another process's view of the same queue (it takes no jobs).
    queue = await PgBossJobs.start({ connectionString: db.url, queues: pgBossQueueSettings(loadConfig({})), logger: { warn: () => undefined, error: () => undefined } });
  });
  afterEach(async () => {
    await queue.stop(0);
    await app.close();
    await openai.close();
    await db.drop();
  });

  it("queues a text answer for grading before the ack, once, and grades nothing itself", async () => {
    const threadTs = await askQuestion(app.eventsUrl, app.slack);
    const answer = answerBody(threadTs, 1);
    expect((await postSigned(app.eventsUrl, answer.body, "application/json")).status).toBe(200);
    // Acknowledged means queued: no waiting here.
    expect(await queue.depth("grade")).toBe(1);
    const retry = await postSigned(app.eventsUrl, answer.body, "application/json", { headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
    expect(retry.status).toBe(200);
    expect(await queue.depth("grade")).toBe(1);
    expect(await queue.depth("judge")).toBe(0);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(postsFor(app.slack, answer.ts)).toBe(0);
    expect(openai.requests).toHaveLength(0);
  });

  it("queues a code answer for the judge", async () => {
    const before = app.slack.callsTo("chat.postMessage").length;
    await postSigned(app.eventsUrl, slashCommandBody({ text: "ask two-sum-zero", userId: "U111", channelId: CHANNEL, responseUrl: app.slack.responseUrl() }), "application/x-www-form-urlencoded");
    await app.slack.waitFor((cs) => cs.filter((c) => c.method === "chat.postMessage").length > before, 20_000);
    const threadTs = String(app.slack.callsTo("chat.postMessage")[before]!.response!.ts);
    const code = "def two_sum(nums, target):\n    return []";
    const body = eventBody({ type: "message", channel: CHANNEL, channel_type: "channel", user: "U111", ts: "1800000500.000100", thread_ts: threadTs, text: "```python\n" + code + "```" });
    expect((await postSigned(app.eventsUrl, body, "application/json")).status).toBe(200);
    expect(await queue.depth("judge")).toBe(1);
    expect(await queue.depth("grade")).toBe(0);
  });
});
