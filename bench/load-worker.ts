/**
 * The bench's outside world, in its own process like Slack and the LLM provider are: the fake Slack Web
 * API, the fake OpenAI server (1 s latency) and the load generator. Talks to the parent over IPC:
 *   → {kind:"servers", slackApiUrl, openaiUrl}      ← {kind:"app", eventsUrl}
 *   → {kind:"thread", channel, ts}                   ← {kind:"go"}
 *   → {kind:"done", acks: number[], allPostedMs}
 */
import { performance } from "node:perf_hooks";
import { startFakeOpenAI } from "../test/support/fake-openai.js";
import { startFakeSlack } from "../test/support/fake-slack.js";
import { eventBody, postSigned, slashCommandBody } from "../test/support/signed.js";

const ANSWERS = Number(process.env.BENCH_ANSWERS ?? 200);
const CHANNEL = "C1";

type Message = { kind: "floor"; url: string } | { kind: "app"; eventsUrl: string } | { kind: "go" };
const inbox: Message[] = [];
let wake: (() => void) | undefined;
process.on("message", (m: Message) => {
  inbox.push(m);
  wake?.();
});
async function receive<K extends Message["kind"]>(kind: K): Promise<Extract<Message, { kind: K }>> {
  for (;;) {
    const found = inbox.find((m) => m.kind === kind);
    if (found) return found as Extract<Message, { kind: K }>;
    await new Promise<void>((resolve) => (wake = resolve));
  }
}

const slack = await startFakeSlack();
const openai = await startFakeOpenAI({ latencyMs: 1000 });
process.send!({ kind: "servers", slackApiUrl: slack.apiUrl, openaiUrl: openai.url });

/** Sends every body at once; each request's time from send to a read response. */
function burst(url: string, bodies: string[]): Promise<number[]> {
  return Promise.all(
    bodies.map(async (body) => {
      const t0 = performance.now();
      const res = await postSigned(url, body, "application/json");
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`ack ${res.status}`);
      return performance.now() - t0;
    }),
  );
}

const floorUrl = (await receive("floor")).url;
const floorBodies = Array.from({ length: ANSWERS }, (_, i) =>
  eventBody({ type: "message", channel: CHANNEL, user: `U${i}`, ts: `1700000000.${String(i).padStart(6, "0")}`, thread_ts: "1700000000.000000", text: `floor ${i}` }),
);
process.send!({ kind: "floor", acks: await burst(floorUrl, floorBodies) });
const { eventsUrl } = await receive("app");

await postSigned(eventsUrl, slashCommandBody({ text: "ask ir", userId: "UASKER", channelId: CHANNEL, responseUrl: slack.responseUrl() }), "application/x-www-form-urlencoded");
await slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage"));
const threadTs = String(slack.callsTo("chat.postMessage")[0]!.response!.ts);
process.send!({ kind: "thread", channel: CHANNEL, ts: threadTs });
await receive("go");

const bodies = Array.from({ length: ANSWERS }, (_, i) =>
  eventBody({ type: "message", channel: CHANNEL, user: `U${i}`, ts: `1800000000.${String(i).padStart(6, "0")}`, thread_ts: threadTs, text: `I would combine BM25 with a dense two-tower retriever and evaluate NDCG@10; answer ${i}.` }),
);
const started = performance.now();
const acks = await burst(eventsUrl, bodies);
await slack.waitFor((cs) => cs.filter((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs).length >= ANSWERS, 120_000);
process.send!({ kind: "done", acks, allPostedMs: performance.now() - started });
await slack.close();
await openai.close();
process.disconnect();
