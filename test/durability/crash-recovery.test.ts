/**
 * A real app process killed with SIGKILL while answers are in flight, then started again on the same
 * DATA_DIR: every answer Slack got HTTP 200 for is critiqued exactly once; Slack's retry of an answer
 * after the restart is not graded again.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inboxId } from "../../src/engine/inbox/records.js";
import { REPLY_METADATA_EVENT } from "../../src/slack/inbox/thread-poster.js";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { eventBody, postSigned, slashCommandBody } from "../support/signed.js";
import { startAppProcess, type AppProcess } from "./support/app-process.js";

const CHANNEL = "C0DURABLE";

/** Critiques (and other outcome messages) posted for one reply, by the token in their metadata. */
function postsFor(slack: FakeSlack, replyTs: string): number {
  const id = inboxId(CHANNEL, replyTs);
  return slack.messages.filter((m) => m.metadata?.event_type === REPLY_METADATA_EVENT && String(m.metadata.event_payload?.token).startsWith(`${id}#`)).length;
}

async function askQuestion(app: AppProcess, slack: FakeSlack): Promise<string> {
  const before = slack.callsTo("chat.postMessage").length;
  const res = await postSigned(app.eventsUrl, slashCommandBody({ text: "ask ir", userId: "UASKER", channelId: CHANNEL, responseUrl: slack.responseUrl() }), "application/x-www-form-urlencoded");
  expect(res.status).toBe(200);
  await slack.waitFor((cs) => cs.filter((c) => c.method === "chat.postMessage").length > before, 20_000);
  return String(slack.callsTo("chat.postMessage")[before]!.response!.ts);
}

function answerBody(threadTs: string, i: number): { ts: string; body: string } {
  const ts = `1800000${String(i).padStart(3, "0")}.000100`;
  const body = eventBody({ type: "message", channel: CHANNEL, channel_type: "channel", user: `UANS${i}`, ts, thread_ts: threadTs, text: `I'd retrieve with BM25 plus a two-tower model and measure NDCG@10 and MRR; answer ${i}.` });
  return { ts, body };
}

describe("kill -9 during concurrent answers, then a restart", () => {
  let slack: FakeSlack;
  let openai: FakeOpenAI;
  let dataDir: string;
  const apps: AppProcess[] = [];
  const start = async () => {
    const app = await startAppProcess({ DATA_DIR: dataDir, SLACK_API_URL: slack.apiUrl, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: openai.url, OPENAI_MAX_RETRIES: "0" });
    apps.push(app);
    return app;
  };

  beforeEach(async () => {
    slack = await startFakeSlack();
    openai = await startFakeOpenAI();
    dataDir = mkdtempSync(join(tmpdir(), "coach-crash-"));
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) if (app.child.exitCode === null && app.child.signalCode === null) await app.crash();
    await slack.close();
    await openai.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("critiques every acknowledged answer exactly once — whether the kill came before grading or after posting", async () => {
    const first = await start();
    const threadTs = await askQuestion(first, slack);
    // Slow LLM: most answers are still being graded when the process dies…
    openai.setLatency(1_500);
    const answers = Array.from({ length: 30 }, (_, i) => answerBody(threadTs, i));
    const statuses = await Promise.all(answers.map(async (a) => (await postSigned(first.eventsUrl, a.body, "application/json")).status));
    const acked = answers.filter((_, i) => statuses[i] === 200);
    expect(acked).toHaveLength(30);
    await first.crash();
    expect(answers.every((a) => postsFor(slack, a.ts) === 0)).toBe(true);

    const second = await start();
    await slack.waitFor(() => acked.every((a) => postsFor(slack, a.ts) >= 1), 60_000);
    // Recovery is over only once each of them is marked done (✅): the next step holds every ✅.
    await slack.waitFor(
      (cs) => acked.every((a) => cs.some((c) => c.method === "reactions.add" && c.args.name === "white_check_mark" && c.args.timestamp === a.ts)),
      60_000,
    );

    // …and for some, the critique was posted but the process died before it noted that (✅ reaction held).
    const more = Array.from({ length: 8 }, (_, i) => answerBody(threadTs, 100 + i));
    openai.setLatency(0);
    // The ✅ that follows a posted critique hangs, and the process dies meanwhile.
    const release = slack.failWhen("reactions.add", (args) => args.name === "white_check_mark", { kind: "delay", ms: 20_000 });
    const moreStatuses = await Promise.all(more.map(async (a) => (await postSigned(second.eventsUrl, a.body, "application/json")).status));
    expect(moreStatuses.every((s) => s === 200)).toBe(true);
    await slack.waitFor(() => more.every((a) => postsFor(slack, a.ts) === 1), 30_000);
    await second.crash();
    release();

    const callsBefore = slack.calls.length;
    const third = await start();
    // Recovery reads the thread, finds each critique by its token, and only finishes the job (✅).
    await slack.waitFor(
      (cs) => more.every((a) => cs.slice(callsBefore).some((c) => c.method === "reactions.add" && c.args.name === "white_check_mark" && c.args.timestamp === a.ts)),
      30_000,
    );
    expect(slack.calls.slice(callsBefore).some((c) => c.method === "conversations.replies")).toBe(true);
    for (const a of [...acked, ...more]) expect(postsFor(slack, a.ts), `answer ${a.ts}`).toBe(1);
    expect(third.output()).not.toMatch(/TypeError|ReferenceError/);
  }, 180_000);

  it("does not grade Slack's retry of an answer again after a restart", async () => {
    const first = await start();
    const threadTs = await askQuestion(first, slack);
    const answer = answerBody(threadTs, 7);
    expect((await postSigned(first.eventsUrl, answer.body, "application/json")).status).toBe(200);
    await slack.waitFor(() => postsFor(slack, answer.ts) === 1, 20_000);
    const graded = openai.requests.length;
    await first.crash();

    const second = await start();
    const retry = await postSigned(second.eventsUrl, answer.body, "application/json", { headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
    expect(retry.status).toBe(200);
    // A fresh answer after the retry is graded normally, so the retry had its chance to be handled first.
    const next = answerBody(threadTs, 8);
    await postSigned(second.eventsUrl, next.body, "application/json");
    await slack.waitFor(() => postsFor(slack, next.ts) === 1, 20_000);
    expect(postsFor(slack, answer.ts)).toBe(1);
    expect(openai.requests.length).toBe(graded + 1);
  }, 120_000);
});
