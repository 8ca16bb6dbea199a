import { afterEach, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { startTestApp, TEST_BOT_TOKEN, type TestApp } from "../support/app.js";
import { blockActionBody, eventBody, postSigned, sign, slashCommandBody } from "../support/signed.js";

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";
const OPENAI_KEY = "sk-canary-openai-key-do-not-leak";

const STRONG_ANSWER = [
  "I would frame it as learning to rank: retrieve candidates with BM25 plus embeddings, then rank with a LambdaMART model.",
  "To start I'd use a simple metric: add-to-cart rate per search, and offline NDCG@10 on logged clicks.",
  "Features: text relevance, item popularity, price per unit, in-stock probability at the store, and the user's purchase history.",
  "We test with an A/B test on conversion while watching p99 latency under 100 ms.",
].join(" ");

let app: TestApp | undefined;
let openai: FakeOpenAI | undefined;
let slack: FakeSlack | undefined;

afterEach(async () => {
  await app?.close();
  await openai?.close();
  await slack?.close();
  app = openai = slack = undefined;
});

async function askInDm(t: TestApp, text = "ask mlsd") {
  const res = await postSigned(t.eventsUrl, slashCommandBody({ text, userId: "U111", channelId: "D111", responseUrl: t.slack.responseUrl() }), FORM);
  expect(res.status).toBe(200);
  const [question] = await t.slack.waitFor((calls) => calls.some((c) => c.method === "chat.postMessage")).then((calls) => calls.filter((c) => c.method === "chat.postMessage"));
  return question!;
}

describe("core loop in Slack (real HTTP app, fake Slack and OpenAI servers)", () => {
  it("asks an ML system design question and posts the critique in its thread", async () => {
    openai = await startFakeOpenAI();
    app = await startTestApp({ env: { OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: openai.url, OPENAI_MODEL: "fake-model" } });
    const question = await askInDm(app);
    expect(question.args.channel).toBe("D111");
    expect(JSON.stringify(question.args.blocks)).toContain(app.running.engine.bank.round("ml-system-design").title);
    const questionTs = app.slack.callsTo("chat.postMessage")[0]!;
    const threadTs = await findPostedTs(app, 0);

    const reply = await postSigned(
      app.eventsUrl,
      eventBody({ type: "message", channel: "D111", channel_type: "im", user: "U111", text: STRONG_ANSWER, ts: "1800000000.000200", thread_ts: threadTs }),
      JSON_TYPE,
    );
    expect(reply.status).toBe(200);
    const calls = await app.slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs));
    const critique = calls.find((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs)!;
    const rendered = JSON.stringify(critique.args.blocks);
    expect(critique.args.channel).toBe("D111");
    expect(rendered).toMatch(/Overall \d\.\d\d \/ 4/);
    expect(rendered).toMatch(/\d\/4/);
    expect(rendered).toContain("Graded by an LLM interviewer");
    expect(app.slack.callsTo("reactions.add").some((c) => c.args.name === "eyes")).toBe(true);
    // The answer reached the LLM only inside the user message, delimited.
    const request = openai.requests.at(-1)!;
    expect(JSON.stringify(request.body)).toContain("add-to-cart rate");
    // Secrets never reach Slack.
    // (The bot token authenticates Web API calls; it must never appear in message content.)
    const everything = JSON.stringify(app.slack.calls.map(({ args: { token: _auth, ...content } }) => content));
    expect(everything).not.toContain(OPENAI_KEY);
    expect(everything).not.toContain(TEST_BOT_TOKEN);
    expect(questionTs.token).toBe(TEST_BOT_TOKEN);
  });

  it("without an LLM key, labels the critique as the offline rubric check; a second reply answers the follow-up", async () => {
    app = await startTestApp();
    await askInDm(app, "ask design");
    const threadTs = await findPostedTs(app, 0);
    await postSigned(app.eventsUrl, eventBody({ type: "message", channel: "D111", user: "U111", text: STRONG_ANSWER, ts: "1800000000.000300", thread_ts: threadTs }), JSON_TYPE);
    await app.slack.waitFor((cs) => cs.filter((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs).length >= 1);
    const first = app.slack.callsTo("chat.postMessage").find((c) => c.args.thread_ts === threadTs)!;
    expect(JSON.stringify(first.args.blocks)).toContain("Offline rubric check");
    expect(JSON.stringify(first.args.blocks)).toContain("Follow-up:");

    await postSigned(app.eventsUrl, eventBody({ type: "message", channel: "D111", user: "U111", text: "I'd start with NDCG@10 offline and add-to-cart rate online.", ts: "1800000000.000400", thread_ts: threadTs }), JSON_TYPE);
    await app.slack.waitFor((cs) => cs.filter((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs).length >= 2);
    const second = app.slack.callsTo("chat.postMessage").filter((c) => c.args.thread_ts === threadTs)[1]!;
    expect(JSON.stringify(second.args.blocks)).toContain("Follow-up feedback");
    expect(JSON.stringify(second.args.blocks)).toContain("You were asked:");
  });

  it("ignores the bot's own messages, other bots, edits and replies outside question threads", async () => {
    app = await startTestApp();
    await askInDm(app);
    const threadTs = await findPostedTs(app, 0);
    const before = app.slack.calls.length;
    const events = [
      { type: "message", channel: "D111", bot_id: "BOTHER", text: "I am a bot", ts: "1800000000.000501", thread_ts: threadTs },
      { type: "message", subtype: "message_changed", channel: "D111", message: { text: "edited" }, ts: "1800000000.000502", thread_ts: threadTs },
      { type: "message", channel: "D111", user: "U111", text: "not in a thread", ts: "1800000000.000503" },
      { type: "message", channel: "D111", user: "U111", text: "some other thread", ts: "1800000000.000504", thread_ts: "1700000000.999999" },
    ];
    for (const e of events) expect((await postSigned(app.eventsUrl, eventBody(e), JSON_TYPE)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(app.slack.calls.slice(before).filter((c) => c.method === "chat.postMessage" || c.method === "reactions.add")).toEqual([]);
  });

  it("gives the next hint in the thread when Hint is clicked, and a fresh question on Skip", async () => {
    app = await startTestApp();
    await askInDm(app, "ask mlsd-grocery-search-ranking");
    const threadTs = await findPostedTs(app, 0);
    const click = (actionId: string) =>
      postSigned(app!.eventsUrl, blockActionBody({ userId: "U111", channelId: "D111", messageTs: threadTs, actionId, value: "mlsd-grocery-search-ranking", responseUrl: app!.slack.responseUrl() }), FORM);
    await click("question_hint");
    await app.slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs && String(c.args.text).includes("Hint 1/")));
    await click("question_skip");
    await app.slack.waitFor((cs) => cs.filter((c) => c.method === "chat.postMessage" && c.args.thread_ts === undefined).length >= 2);
    const next = app.slack.callsTo("chat.postMessage").filter((c) => c.args.thread_ts === undefined)[1]!;
    expect(JSON.stringify(next.args.blocks)).toContain("Skipped");
    expect(JSON.stringify(next.args.blocks)).not.toContain("mlsd-grocery-search-ranking");
  });

  it("grades a reply once when Slack delivers it again", async () => {
    app = await startTestApp();
    await askInDm(app);
    const threadTs = await findPostedTs(app, 0);
    const reply = { type: "message", channel: "D111", user: "U111", text: STRONG_ANSWER, ts: "1800000000.000800", thread_ts: threadTs };
    await postSigned(app.eventsUrl, eventBody(reply), JSON_TYPE);
    // A retry carries a new event id but the same message.
    await postSigned(app.eventsUrl, eventBody(reply), JSON_TYPE);
    await app.slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs));
    await new Promise((r) => setTimeout(r, 500));
    expect(app.slack.callsTo("chat.postMessage").filter((c) => c.args.thread_ts === threadTs)).toHaveLength(1);
    expect((await app.running.engine.store.peekUser("U111"))?.answers).toHaveLength(1);
  });

  it("grades each person separately in a channel thread", async () => {
    app = await startTestApp();
    await postSigned(app.eventsUrl, slashCommandBody({ text: "ask ir", userId: "U111", channelId: "C999", responseUrl: app.slack.responseUrl() }), FORM);
    await app.slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage"));
    const threadTs = await findPostedTs(app, 0);
    expect(app.slack.callsTo("chat.postMessage")[0]!.args.channel).toBe("C999");
    for (const [user, ts] of [["U111", "1800000000.000601"], ["U222", "1800000000.000602"]] as const) {
      await postSigned(app.eventsUrl, eventBody({ type: "message", channel: "C999", user, text: "I would use BM25 for sparse retrieval and a two-tower dense retriever, evaluated with NDCG@10.", ts, thread_ts: threadTs }), JSON_TYPE);
    }
    await app.slack.waitFor((cs) => cs.filter((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs).length >= 2);
    const texts = app.slack.callsTo("chat.postMessage").filter((c) => c.args.thread_ts === threadTs).map((c) => String(c.args.text));
    expect(texts.some((t) => t.includes("<@U111>"))).toBe(true);
    expect(texts.some((t) => t.includes("<@U222>"))).toBe(true);
    const u1 = await app.running.engine.store.peekUser("U111");
    const u2 = await app.running.engine.store.peekUser("U222");
    expect(u1?.answers).toHaveLength(1);
    expect(u2?.answers).toHaveLength(1);
  });

  it("refuses forged signatures and stale timestamps", async () => {
    app = await startTestApp();
    const body = slashCommandBody({ text: "ask", userId: "U111", channelId: "D111", responseUrl: app.slack.responseUrl() });
    const forged = await postSigned(app.eventsUrl, body, FORM, { signature: sign(body, Math.floor(Date.now() / 1000), "wrong-secret") });
    expect(forged.status).toBe(401);
    const stale = await postSigned(app.eventsUrl, body, FORM, { timestamp: Math.floor(Date.now() / 1000) - 60 * 10 });
    expect(stale.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(app.slack.callsTo("chat.postMessage")).toEqual([]);
  });

  it("rejects a malformed but correctly signed payload and keeps serving", async () => {
    app = await startTestApp();
    const broken = await postSigned(app.eventsUrl, '{"type":"event_callback","event":', JSON_TYPE);
    expect(broken.status).toBeGreaterThanOrEqual(400);
    expect(broken.status).toBeLessThan(500);
    await askInDm(app);
  });

  it("answers unknown subcommands and unknown rounds with help and an example", async () => {
    app = await startTestApp();
    await postSigned(app.eventsUrl, slashCommandBody({ text: "dance", userId: "U111", channelId: "D111", responseUrl: app.slack.responseUrl("r1") }), FORM);
    await postSigned(app.eventsUrl, slashCommandBody({ text: "ask cooking", userId: "U111", channelId: "D111", responseUrl: app.slack.responseUrl("r2") }), FORM);
    const calls = await app.slack.waitFor((cs) => cs.filter((c) => c.method === "response_url").length >= 2);
    const replies = calls.filter((c) => c.method === "response_url").map((c) => JSON.stringify(c.args));
    expect(replies.some((r) => r.includes("Unknown subcommand") && r.includes("/interview ask mlsd"))).toBe(true);
    expect(replies.some((r) => r.includes("cooking") && r.includes("/interview ask mlsd"))).toBe(true);
  });

  it("recognises the thread after a restart on the same DATA_DIR, and unlocks the model answer only after answering", async () => {
    slack = await startFakeSlack();
    app = await startTestApp({ slack });
    await askInDm(app, "ask behavioral");
    const threadTs = await findPostedTs(app, 0);
    const dataDir = app.dataDir;
    await app.stopApp();

    const restarted = await startTestApp({ slack, dataDir });
    try {
      const click = () =>
        postSigned(restarted.eventsUrl, blockActionBody({ userId: "U111", channelId: "D111", messageTs: "1800000000.000999", threadTs, actionId: "question_model_answer", value: threadTs, responseUrl: slack!.responseUrl() }), FORM);
      await click();
      await slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && String(c.args.text).startsWith("Answer first")));
      await postSigned(restarted.eventsUrl, eventBody({ type: "message", channel: "D111", user: "U111", text: "In my last role I led a churn model project; situation, task, action, result: retention rose 4%.", ts: "1800000000.000700", thread_ts: threadTs }), JSON_TYPE);
      await slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs && JSON.stringify(c.args.blocks ?? "").includes("Key-point coverage")));
      await click();
      await slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && String(c.args.text).startsWith("Model answer")));
    } finally {
      await restarted.close();
      app = undefined;
    }
  });
});

/** The ts the fake Slack assigned to the n-th chat.postMessage (the question). */
async function findPostedTs(t: TestApp, index: number): Promise<string> {
  const call = t.slack.callsTo("chat.postMessage")[index];
  const ts = call?.response?.ts;
  if (typeof ts !== "string") throw new Error("no question was posted");
  for (let i = 0; i < 50 && !(await t.running.engine.interview.thread({ channel: String(call!.args.channel), ts })); i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return ts;
}
