/**
 * Slack text as a person sees it, through the real HTTP app and a fake Slack Web API: placeholders and
 * typed words survive, mentions in quoted answers read as names, other people's replies in a DM
 * thread are ignored, and `end` before any answer says so. The fake fails the suite on close if any
 * mrkdwn the app sent holds a `<` that is not a Slack token.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.js";
import type { SlackCall } from "../support/fake-slack.js";
import { blockActionBody, eventBody, postSigned, slashCommandBody } from "../support/signed.js";
import { ACTION_IDS } from "../../src/slack/blocks/action-ids.js";

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";
const OWNER = "U0OWNER1";
const OTHER = "U0OTHER2";

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Runs `/interview <text>` and returns the body of the response_url reply. */
async function command(t: TestApp, text: string, channelId = "D0OWNER1"): Promise<SlackCall> {
  const before = t.slack.callsTo("response_url").length;
  const res = await postSigned(t.eventsUrl, slashCommandBody({ text, userId: OWNER, channelId, responseUrl: t.slack.responseUrl() }), FORM);
  expect(res.status).toBe(200);
  await t.slack.waitFor((calls) => calls.filter((c) => c.method === "response_url").length > before);
  return t.slack.callsTo("response_url")[before]!;
}

const rendered = (call: SlackCall) => JSON.stringify(call.args);

async function postedQuestion(t: TestApp, index: number): Promise<{ channel: string; ts: string }> {
  const calls = await t.slack.waitFor((cs) => cs.filter((c) => c.method === "chat.postMessage").length > index);
  const call = calls.filter((c) => c.method === "chat.postMessage")[index]!;
  const key = { channel: String(call.args.channel), ts: String(call.response!.ts) };
  for (let i = 0; i < 100 && !(await t.running.engine.interview.thread(key)); i++) await new Promise((r) => setTimeout(r, 20));
  return key;
}

async function reply(t: TestApp, key: { channel: string; ts: string }, user: string, text: string, ts: string) {
  const res = await postSigned(t.eventsUrl, eventBody({ type: "message", channel: key.channel, channel_type: "im", user, text, ts, thread_ts: key.ts }), JSON_TYPE);
  expect(res.status).toBe(200);
}

describe("Slack text renders as written", () => {
  it("keeps placeholders in daily, pause and rounds replies, and echoes a typed word escaped", async () => {
    app = await startTestApp();
    const daily = rendered(await command(app, "daily 9:00 weekdays mlsd"));
    expect(daily).toContain("&lt;time&gt;");
    expect(rendered(await command(app, "pause 2 days"))).toContain("&lt;n&gt;");
    expect(rendered(await command(app, "rounds"))).toContain("/interview ask &lt;round&gt;");
    const unknown = rendered(await command(app, "ask <b>bold</b> & co"));
    expect(unknown).toContain("&lt;b&gt;bold&lt;/b&gt;");
    expect(unknown).not.toContain("<b>");
    const sub = rendered(await command(app, "frobnicate<x>"));
    expect(sub).toContain("frobnicate&lt;x&gt;");
  });

  it("quotes mentions from an answer as readable names, and ignores another person's reply and clicks in a DM thread", async () => {
    app = await startTestApp();
    await postSigned(app.eventsUrl, slashCommandBody({ text: "ask mlsd", userId: OWNER, channelId: "D0OWNER1", responseUrl: app.slack.responseUrl() }), FORM);
    const key = await postedQuestion(app, 0);

    // Someone else in the conversation: no reaction, no grade, no hint.
    await reply(app, key, OTHER, "I'd track NDCG@10 and add-to-cart rate.", "1800000000.000100");
    await postSigned(
      app.eventsUrl,
      blockActionBody({ userId: OTHER, channelId: key.channel, messageTs: key.ts, actionId: ACTION_IDS.hint, value: "x", responseUrl: app.slack.responseUrl() }),
      FORM,
    );
    await new Promise((r) => setTimeout(r, 400));
    expect(app.slack.calls.filter((c) => c.args.thread_ts === key.ts || c.method === "reactions.add")).toEqual([]);

    const answer =
      "Offline I'd measure NDCG@10 with <@U0ABCDEF1> and <!channel>, then run an A/B test on add-to-cart rate. " +
      "Features: text relevance, popularity, in-stock probability, and purchase history, ranked with LambdaMART.";
    await reply(app, key, OWNER, answer, "1800000000.000200");
    const calls = await app.slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && c.args.thread_ts === key.ts));
    const critique = calls.find((c) => c.method === "chat.postMessage" && c.args.thread_ts === key.ts)!;
    const body = rendered(critique);
    expect(body).toContain("Key-point coverage");
    expect(body).not.toContain("<@U0ABCDEF1>");
    expect(body).not.toContain("<!channel>");
    expect(body).not.toContain("&lt;@U0ABCDEF1&gt;");
  });

  it("says nothing was answered when a mock loop ends before any answer, and offers to start again", async () => {
    app = await startTestApp();
    await command(app, "loop");
    const key = await postedQuestion(app, 0);
    await reply(app, key, OWNER, "end", "1800000000.000300");
    const calls = await app.slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && c.args.thread_ts === key.ts));
    const ended = calls.find((c) => c.method === "chat.postMessage" && c.args.thread_ts === key.ts)!;
    expect(String(ended.args.text)).toContain("before any answer");
    expect(String(ended.args.text)).toContain("/interview loop");
    await new Promise((r) => setTimeout(r, 300));
    expect(app.slack.callsTo("chat.postMessage").some((c) => String(c.args.text).startsWith("Mock onsite debrief"))).toBe(false);
  });
});
