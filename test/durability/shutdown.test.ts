/**
 * SIGTERM on the real app process: it stops taking requests, lets the answers being graded finish and
 * post, then exits 0; with a short grace, what could not finish is handled by the next start, once.
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

const CHANNEL = "C0SHUT";

describe("graceful shutdown of the real app process", () => {
  let slack: FakeSlack;
  let openai: FakeOpenAI;
  let dataDir: string;
  const apps: AppProcess[] = [];
  beforeEach(async () => {
    slack = await startFakeSlack();
    openai = await startFakeOpenAI();
    dataDir = mkdtempSync(join(tmpdir(), "coach-shutdown-"));
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) if (app.child.exitCode === null && app.child.signalCode === null) await app.crash();
    await slack.close();
    await openai.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const start = async (grace: number) => {
    const app = await startAppProcess({
      DATA_DIR: dataDir,
      SLACK_API_URL: slack.apiUrl,
      OPENAI_API_KEY: "sk-test",
      OPENAI_BASE_URL: openai.url,
      OPENAI_MAX_RETRIES: "0",
      SHUTDOWN_GRACE_MS: String(grace),
    });
    apps.push(app);
    return app;
  };
  const outcomes = (ts: string) =>
    slack.messages.filter((m) => m.metadata?.event_type === REPLY_METADATA_EVENT && String(m.metadata.event_payload?.token).startsWith(`${inboxId(CHANNEL, ts)}#`)).length;
  const answer = (app: AppProcess, threadTs: string, i: number) => {
    const ts = `1800001${String(i).padStart(3, "0")}.000100`;
    const body = eventBody({ type: "message", channel: CHANNEL, user: `USHUT${i}`, ts, thread_ts: threadTs, text: `BM25 candidates, a LambdaMART ranker, NDCG@10 offline; answer ${i}.` });
    return postSigned(app.eventsUrl, body, "application/json").then((res) => ({ ts, status: res.status }));
  };

  it("finishes the answers in flight before exiting, and leaves the rest to the next start", async () => {
    const first = await start(20_000);
    await postSigned(first.eventsUrl, slashCommandBody({ text: "ask ir", userId: "UASK", channelId: CHANNEL, responseUrl: slack.responseUrl() }), "application/x-www-form-urlencoded");
    await slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage"), 20_000);
    const threadTs = slack.messages[0]!.ts;

    openai.setLatency(1_500);
    const sent = await Promise.all([0, 1, 2, 3].map((i) => answer(first, threadTs, i)));
    expect(sent.every((s) => s.status === 200)).toBe(true);
    const code = await first.signal("SIGTERM");
    expect(code).toBe(0);
    // Everything in flight was graded and posted before the process exited.
    for (const s of sent) expect(outcomes(s.ts)).toBe(1);
    await expect(answer(first, threadTs, 9)).rejects.toThrow();

    // A grace too short for a slow LLM: the process exits anyway; the next start finishes the job.
    const second = await start(100);
    openai.setLatency(3_000);
    const late = await Promise.all([10, 11].map((i) => answer(second, threadTs, i)));
    expect(await second.signal("SIGTERM")).toBe(0);
    expect(second.output()).toMatch(/unfinished/);
    expect(late.map((s) => outcomes(s.ts))).toEqual([0, 0]);
    openai.setLatency(0);
    await start(20_000);
    await slack.waitFor(() => late.every((s) => outcomes(s.ts) === 1), 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    for (const s of [...sent, ...late]) expect(outcomes(s.ts)).toBe(1);
  }, 150_000);
});
