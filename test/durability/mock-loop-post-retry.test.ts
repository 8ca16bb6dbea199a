/**
 * A mock-loop answer whose critique cannot be posted (Slack fails the call) is not lost: the reply stays
 * in the inbox, is tried again, and the critique is posted exactly once — graded once, by the reply's id.
 */
import { rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { inboxId } from "../../src/engine/inbox/records.js";
import { InterviewStore } from "../../src/engine/store/interview-store.js";
import { REPLY_METADATA_EVENT } from "../../src/slack/inbox/thread-poster.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { eventBody, postSigned, slashCommandBody } from "../support/signed.js";
import { JsonDocs } from "../../src/infra/embedded/json-docs.js";

const USER = "U0LOOPR";
const DM = "D0LOOPR";

describe("a mock-loop critique that Slack refused", () => {
  let app: TestApp | undefined;
  let slack: FakeSlack;
  afterEach(async () => {
    const dataDir = app?.dataDir;
    await app?.close();
    app = undefined;
    await slack.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("is posted once when the reply is tried again", async () => {
    slack = await startFakeSlack();
    app = await startTestApp({ slack });
    await postSigned(app.eventsUrl, slashCommandBody({ text: "loop --with-hm", userId: USER, channelId: DM, responseUrl: slack.responseUrl() }), "application/x-www-form-urlencoded");
    const opening = () => slack.messages.find((m) => !m.thread_ts && String(m.text).startsWith("Mock onsite · Round 1"));
    await slack.waitFor(() => opening() !== undefined, 30_000);
    const threadTs = opening()!.ts;
    while (!(await app.running.engine.interview.thread({ channel: DM, ts: threadTs }))) await new Promise((r) => setTimeout(r, 20));

    // Slack fails the next message posted in the round's thread: the critique.
    const restore = slack.failWhen("chat.postMessage", (args) => args.thread_ts === threadTs, { kind: "error", error: "internal_error" });
    const ts = "1800003000.000100";
    const body = eventBody({ type: "message", channel: DM, channel_type: "im", user: USER, ts, thread_ts: threadTs, text: "I owned the ranking model: the business problem was search conversion, and it rose 2% in the A/B test." });
    expect((await postSigned(app.eventsUrl, body, "application/json")).status).toBe(200);
    await slack.waitFor((calls) => calls.some((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs), 30_000);
    restore();

    const id = inboxId(DM, ts);
    const critiques = () => slack.messages.filter((m) => m.metadata?.event_type === REPLY_METADATA_EVENT && String(m.metadata.event_payload?.token).startsWith(`${id}#`));
    // The processor tries the reply again after 2 s.
    await slack.waitFor(() => critiques().length === 1, 30_000);
    await app.running.deps.replies.idle();
    expect(critiques()).toHaveLength(1);
    expect(critiques()[0]).toMatchObject({ thread_ts: threadTs });
    expect(String(critiques()[0]!.text)).not.toContain("Sorry");
    expect((await new InterviewStore(new JsonDocs(app.dataDir)).peekUser(USER))!.answers.map((a) => a.id)).toEqual([id]);
    const loop = await app.running.deps.loop.service.active(USER);
    expect(loop!.rounds[0]!.questions[0]!.turns.map((t) => t.answerId)).toEqual([id]);
  }, 60_000);
});
