/**
 * The real app with DATA_DIR on a tiny tmpfs that fills up: a reply that could not be stored is
 * refused with a clear message and leaves no trace; one stored before the disk filled is graded once
 * the disk has room again — no ghost answers, nothing lost that was acknowledged as kept.
 */
import { afterEach, describe, expect, it } from "vitest";
import { inboxId } from "../../src/engine/inbox/records.js";
import { InterviewStore } from "../../src/engine/store/interview-store.js";
import { REPLY_METADATA_EVENT } from "../../src/slack/inbox/thread-poster.js";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { eventBody, postSigned, slashCommandBody } from "../support/signed.js";
import { canMountTmpfs, mountSmallDisk, type SmallDisk } from "../support/tmpfs.js";
import { JsonDocs } from "../../src/infra/embedded/json-docs.js";

const DM = "D0FULL";
const USER = "U0FULL";

describe.skipIf(!canMountTmpfs())("a full disk under the running app", () => {
  let app: TestApp | undefined;
  let slack: FakeSlack;
  let openai: FakeOpenAI;
  let disk: SmallDisk;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await slack.close();
    await openai.close();
    disk.unmount();
  });

  const reply = (threadTs: string, ts: string, text: string) =>
    postSigned(app!.eventsUrl, eventBody({ type: "message", channel: DM, channel_type: "im", user: USER, ts, thread_ts: threadTs, text }), "application/json");
  const outcomes = (ts: string) =>
    slack.messages.filter((m) => m.metadata?.event_type === REPLY_METADATA_EVENT && String(m.metadata.event_payload?.token).startsWith(`${inboxId(DM, ts)}#`));

  it("refuses what it cannot store, says so, and never shows it in the history later", async () => {
    disk = mountSmallDisk(2_048);
    slack = await startFakeSlack();
    openai = await startFakeOpenAI();
    const env = { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: openai.url, OPENAI_MAX_RETRIES: "0" };
    app = await startTestApp({ dataDir: disk.dir, slack, env });
    await postSigned(app.eventsUrl, slashCommandBody({ text: "ask ir", userId: USER, channelId: DM, responseUrl: slack.responseUrl() }), "application/x-www-form-urlencoded");
    await slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage"));
    const threadTs = slack.messages[0]!.ts;

    disk.fill();
    const ghost = "GHOST ANSWER: BM25 then a cross-encoder, measured with NDCG@10.";
    expect((await reply(threadTs, "1800000001.000100", ghost)).status).toBe(200);
    const refusal = await slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && String(c.args.text).includes("not* recorded")));
    expect(refusal.some((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs)).toBe(true);

    // Accepted while there was room, then the disk fills while the LLM is thinking: the grade cannot be
    // saved, so the reply stays in the inbox and is graded once there is room again.
    disk.free();
    openai.setLatency(1_000);
    const kept = "KEPT ANSWER: two-tower retrieval, LambdaMART ranking, NDCG@10 offline and add-to-cart online.";
    expect((await reply(threadTs, "1800000002.000100", kept)).status).toBe(200);
    disk.fill();
    await new Promise((r) => setTimeout(r, 2_500));
    expect(outcomes("1800000002.000100")).toHaveLength(0);
    disk.free();
    await slack.waitFor(() => outcomes("1800000002.000100").length === 1, 30_000);

    await app.stopApp();
    app = await startTestApp({ dataDir: disk.dir, slack, env });
    await new Promise((r) => setTimeout(r, 500));
    const history = (await new InterviewStore(new JsonDocs(disk.dir)).peekUser(USER))!.answers.map((a) => a.text);
    expect(history).toEqual([kept]);
    expect(outcomes("1800000001.000100")).toHaveLength(0);
    expect(outcomes("1800000002.000100")).toHaveLength(1);
  }, 90_000);
});
