import { expect } from "vitest";
import { inboxId } from "../../../src/engine/inbox/records.js";
import { REPLY_METADATA_EVENT } from "../../../src/slack/inbox/thread-poster.js";
import type { FakeSlack } from "../../support/fake-slack.js";
import { eventBody, postSigned, slashCommandBody } from "../../support/signed.js";

export const CHANNEL = "C0JOBS";

/** Outcome messages (critiques) posted for one reply, found by the token in their metadata. */
export function postsFor(slack: FakeSlack, replyTs: string): number {
  const id = inboxId(CHANNEL, replyTs);
  return slack.messages.filter((m) => m.metadata?.event_type === REPLY_METADATA_EVENT && String(m.metadata.event_payload?.token).startsWith(`${id}#`)).length;
}

/** `/interview ask ir` in the channel; returns the question's thread ts. */
export async function askQuestion(eventsUrl: string, slack: FakeSlack): Promise<string> {
  const before = slack.callsTo("chat.postMessage").length;
  const res = await postSigned(eventsUrl, slashCommandBody({ text: "ask ir", userId: "UASKER", channelId: CHANNEL, responseUrl: slack.responseUrl() }), "application/x-www-form-urlencoded");
  expect(res.status).toBe(200);
  await slack.waitFor((cs) => cs.filter((c) => c.method === "chat.postMessage").length > before, 20_000);
  return String(slack.callsTo("chat.postMessage")[before]!.response!.ts);
}

/** A signed `message` event: person `i`'s answer in the thread. */
export function answerBody(threadTs: string, i: number): { ts: string; body: string } {
  const ts = `1800000${String(i).padStart(3, "0")}.000100`;
  const body = eventBody({ type: "message", channel: CHANNEL, channel_type: "channel", user: `UANS${i}`, ts, thread_ts: threadTs, text: `I'd retrieve with BM25 plus a two-tower model and measure NDCG@10 and MRR; answer ${i}.` });
  return { ts, body };
}

/** Signed answers, four at a time (each acknowledged only once stored and queued). */
export async function postInBatches(eventsUrl: string, answers: { body: string }[]): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < answers.length; i += 4) {
    statuses.push(...(await Promise.all(answers.slice(i, i + 4).map(async (a) => (await postSigned(eventsUrl, a.body, "application/json")).status))));
  }
  return statuses;
}

