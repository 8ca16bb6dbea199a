import { afterEach, describe, expect, it } from "vitest";
import { webApi } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { DeliveryError } from "../../src/engine/schedule/deliverer.js";
import { SlackDeliverer } from "../../src/slack/schedule/deliverer.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { makeBank } from "./support/fixtures.js";
import { startLimitedSlack, type LimitedSlack } from "./support/limited-slack.js";

const bank = makeBank();
const ref = { round: bank.rounds[0]!, question: bank.rounds[0]!.questions[0]! };

function client(apiUrl: string): WebClient {
  return new webApi.WebClient("xoxb-test", { slackApiUrl: apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
}

async function deliveryError(p: Promise<unknown>): Promise<DeliveryError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DeliveryError) return e;
    throw e;
  }
  throw new Error("expected a DeliveryError");
}

let slack: FakeSlack | undefined;
let limited: LimitedSlack | undefined;
afterEach(async () => {
  await slack?.close();
  await limited?.close();
  slack = limited = undefined;
});

describe("SlackDeliverer against a local Slack Web API", () => {
  it("opens the DM once, then posts the question with its delivery token in the message metadata", async () => {
    slack = await startFakeSlack();
    const deliverer = new SlackDeliverer(client(slack.apiUrl));
    const first = await deliverer.post({ target: { kind: "user", userId: "U42" }, ref, slot: "2025-06-02T09:00", token: "tok-1" });
    expect(first.channel).toBe("D42");
    await deliverer.post({ target: { kind: "user", userId: "U42", dmChannel: first.channel }, ref, slot: "2025-06-03T09:00", token: "tok-2" });
    expect(slack.callsTo("conversations.open")).toHaveLength(1);
    const posts = slack.callsTo("chat.postMessage");
    expect(posts.map((p) => (p.args.metadata as { event_payload: { token: string } }).event_payload.token)).toEqual(["tok-1", "tok-2"]);
    expect(JSON.stringify(posts[0]!.args.blocks)).toContain(ref.question.prompt);
  });

  it("turns Slack's answers into typed delivery errors", async () => {
    slack = await startFakeSlack();
    const deliverer = new SlackDeliverer(client(slack.apiUrl));
    const post = () => deliverer.post({ target: { kind: "channel", channelId: "C1" }, ref, slot: "s", token: "t" });

    slack.failNext("chat.postMessage", { kind: "rate-limit", retryAfterSeconds: 3 });
    const limitedError = await deliveryError(post());
    expect([limitedError.kind, limitedError.retryAfterMs]).toEqual(["rate-limited", 3000]);

    for (const code of ["account_inactive", "channel_not_found", "is_archived", "not_in_channel", "cannot_dm_bot", "user_not_found"]) {
      slack.failNext("chat.postMessage", { kind: "error", error: code });
      const gone = await deliveryError(post());
      expect([gone.kind, gone.code]).toEqual(["recipient-gone", code]);
    }
    slack.failNext("chat.postMessage", { kind: "error", error: "invalid_blocks" });
    const invalid = await deliveryError(post());
    expect([invalid.kind, invalid.retryable]).toEqual(["failed", false]);
    slack.failNext("chat.postMessage", { kind: "error", error: "internal_error" });
    expect((await deliveryError(post())).retryable).toBe(true);
  });

  it("finds a post by its token in the conversation history, and only that one", async () => {
    limited = await startLimitedSlack({ postPerSecond: 100, openPerSecond: 100, latencyMs: 0 });
    const deliverer = new SlackDeliverer(client(limited.apiUrl));
    const since = new Date(Date.now() - 1000);
    const posted = await deliverer.post({ target: { kind: "user", userId: "U7" }, ref, slot: "2025-06-02T09:00", token: "tok-found" });
    expect(await deliverer.findPosted({ target: { kind: "user", userId: "U7" }, token: "tok-found", since })).toEqual(posted);
    expect(await deliverer.findPosted({ target: { kind: "user", userId: "U7" }, token: "tok-other", since })).toBeUndefined();
  });
});
