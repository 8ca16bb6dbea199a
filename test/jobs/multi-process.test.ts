/**
 * Several processes on one PostgreSQL database (issue 10, exactly-once across instances): one app and two
 * workers grade 30 answers exactly once; a worker killed with SIGKILL mid-grade has its jobs finished by
 * the other within about a minute, without a second critique; the same signed Slack retry sent to two
 * app instances is graded once.
 * Every piece of state is in PostgreSQL (documents, inbox, handled events), shared by the processes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../support/postgres.js";
import { postSigned } from "../support/signed.js";
import { startAppProcess, startWorkerProcess, type AppProcess } from "../durability/support/app-process.js";
import { answerBody, askQuestion, postInBatches, postsFor } from "./support/replies.js";


type Proc = Omit<AppProcess, "eventsUrl"> & { eventsUrl?: string };

describe.skipIf(!TEST_DATABASE_URL)("app and worker processes on one database", () => {
  let slack: FakeSlack;
  let openai: FakeOpenAI;
  let db: TestDatabase;
  const procs: Proc[] = [];
  const dirs: string[] = [];
  const env = () => {
    const dir = mkdtempSync(join(tmpdir(), "coach-multi-"));
    dirs.push(dir);
    return { DATA_DIR: dir, DATABASE_URL: db.url, SLACK_API_URL: slack.apiUrl, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: openai.url, OPENAI_MAX_RETRIES: "0" };
  };
  const app = async () => {
    const p = await startAppProcess({ ...env(), ROLE: "app" });
    procs.push(p);
    return p;
  };
  const worker = async () => {
    const p = await startWorkerProcess({ ...env(), WORKER_QUEUES: "grade,judge" });
    procs.push(p);
    return p;
  };

  beforeEach(async () => {
    slack = await startFakeSlack();
    openai = await startFakeOpenAI();
    db = await createTestDatabase("multi");
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) await p.crash();
    await slack.close();
    await openai.close();
    await db.drop();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("one app and two workers critique 30 answers exactly once each", async () => {
    const a = await app();
    await worker();
    await worker();
    const threadTs = await askQuestion(a.eventsUrl, slack);
    openai.setLatency(300);
    const answers = Array.from({ length: 30 }, (_, i) => answerBody(threadTs, i));
    expect(await postInBatches(a.eventsUrl, answers)).toEqual(answers.map(() => 200));
    await slack.waitFor(() => answers.every((x) => postsFor(slack, x.ts) >= 1), 90_000);
    await new Promise((r) => setTimeout(r, 2_000));
    for (const x of answers) expect(postsFor(slack, x.ts), `answer ${x.ts}`).toBe(1);
    expect(openai.requests.length).toBe(30);
  }, 180_000);

  it("finishes the jobs of a worker killed mid-grade on the other worker, within about a minute, posting once", async () => {
    const a = await app();
    const doomed = await worker();
    await worker();
    const threadTs = await askQuestion(a.eventsUrl, slack);
    openai.setLatency(5_000);
    const answers = Array.from({ length: 8 }, (_, i) => answerBody(threadTs, i));
    for (const x of answers) expect((await postSigned(a.eventsUrl, x.body, "application/json")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_000));
    await doomed.crash();
    const killedAt = Date.now();
    openai.setLatency(0);
    await slack.waitFor(() => answers.every((x) => postsFor(slack, x.ts) >= 1), 90_000);
    expect(Date.now() - killedAt).toBeLessThan(75_000);
    await new Promise((r) => setTimeout(r, 2_000));
    for (const x of answers) expect(postsFor(slack, x.ts), `answer ${x.ts}`).toBe(1);
  }, 180_000);

  it("grades the same signed retry sent to two app instances once", async () => {
    const first = await app();
    const second = await app();
    await worker();
    const threadTs = await askQuestion(first.eventsUrl, slack);
    const answer = answerBody(threadTs, 7);
    const [a, b] = await Promise.all([
      postSigned(first.eventsUrl, answer.body, "application/json"),
      postSigned(second.eventsUrl, answer.body, "application/json", { headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    // A fresh answer afterwards is graded normally, so the duplicate had its chance to be handled first.
    const next = answerBody(threadTs, 8);
    await postSigned(second.eventsUrl, next.body, "application/json");
    await slack.waitFor(() => postsFor(slack, next.ts) === 1 && postsFor(slack, answer.ts) >= 1, 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(postsFor(slack, answer.ts)).toBe(1);
    expect(openai.requests.length).toBe(2);
  }, 120_000);
});
