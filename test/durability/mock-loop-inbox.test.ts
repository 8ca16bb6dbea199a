/**
 * Mock-loop thread replies go through the same inbox: an answer acknowledged while the app stops is
 * graded by the next start, once — in the person's history, in the loop's record and in the thread —
 * even when Slack delivers it again after the restart.
 */
import { rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { inboxId } from "../../src/engine/inbox/records.js";
import { InterviewStore } from "../../src/engine/store/interview-store.js";
import { REPLY_METADATA_EVENT } from "../../src/slack/inbox/thread-poster.js";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { eventBody, postSigned, slashCommandBody } from "../support/signed.js";
import { JsonDocs } from "../../src/infra/embedded/json-docs.js";

const USER = "U0LOOP";
const DM = "D0LOOP";

describe("mock-loop replies and the inbox", () => {
  let app: TestApp | undefined;
  let slack: FakeSlack;
  let openai: FakeOpenAI;
  let dataDir: string | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await slack.close();
    await openai.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("grades an answer acknowledged before a stop exactly once after the restart, retries included", async () => {
    slack = await startFakeSlack();
    openai = await startFakeOpenAI();
    const env = { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: openai.url, OPENAI_MAX_RETRIES: "0" };
    app = await startTestApp({ slack, env });
    dataDir = app.dataDir;
    await postSigned(app.eventsUrl, slashCommandBody({ text: "loop --with-hm", userId: USER, channelId: DM, responseUrl: slack.responseUrl() }), "application/x-www-form-urlencoded");
    await slack.waitFor(() => slack.messages.some((m) => !m.thread_ts && String(m.text).startsWith("Mock onsite · Round 1")), 30_000);
    const threadTs = slack.messages.find((m) => !m.thread_ts && String(m.text).startsWith("Mock onsite · Round 1"))!.ts;
    while (!(await app.running.engine.interview.thread({ channel: DM, ts: threadTs }))) await new Promise((r) => setTimeout(r, 20));

    openai.setLatency(2_000);
    const ts = "1800002000.000100";
    const body = eventBody({ type: "message", channel: DM, channel_type: "im", user: USER, ts, thread_ts: threadTs, text: "I led the ranking migration: shipped in six weeks, +3% add-to-cart, and I'd pick the simpler model again." });
    expect((await postSigned(app.eventsUrl, body, "application/json")).status).toBe(200);
    // Stop at once, without waiting for the grade in flight.
    const { unfinished } = await app.running.stop(0);
    expect(unfinished).toBe(1);
    openai.setLatency(0);

    app = await startTestApp({ slack, dataDir, env });
    const retry = await postSigned(app.eventsUrl, body, "application/json", { headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } });
    expect(retry.status).toBe(200);
    const token = `${inboxId(DM, ts)}#`;
    const critiques = () => slack.messages.filter((m) => m.metadata?.event_type === REPLY_METADATA_EVENT && String(m.metadata.event_payload?.token).startsWith(token));
    await slack.waitFor(() => critiques().length === 1, 30_000);
    await app.running.deps.replies.idle();
    await new Promise((r) => setTimeout(r, 500));
    expect(critiques()).toHaveLength(1);
    expect(critiques()[0]!.thread_ts).toBe(threadTs);

    const answers = (await new InterviewStore(new JsonDocs(dataDir)).peekUser(USER))!.answers;
    expect(answers.map((a) => a.id)).toEqual([inboxId(DM, ts)]);
    const loop = await app.running.deps.loop.service.active(USER);
    const turns = loop!.rounds.flatMap((r) => r.questions.flatMap((q) => q.turns));
    expect(turns.map((t) => t.answerId)).toEqual([inboxId(DM, ts)]);
  }, 90_000);
});
