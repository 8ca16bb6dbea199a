import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai.js";
import { startFakeSlack, type FakeSlack, type SlackCall } from "../support/fake-slack.js";
import { startTestApp, TEST_BOT_TOKEN, type TestApp } from "../support/app.js";
import { eventBody, postSigned, slashCommandBody } from "../support/signed.js";

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";
const USER = "U111";
const DM = "D111";

let app: TestApp | undefined;
let openai: FakeOpenAI | undefined;
let slack: FakeSlack | undefined;

/** Data dirs of apps restarted on them (the restarted app does not own, so does not remove, them). */
const restartedDirs: string[] = [];

afterEach(async () => {
  await app?.close();
  await openai?.close();
  await slack?.close();
  app = openai = slack = undefined;
  for (const dir of restartedDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

let replyCounter = 100;
const nextTs = () => `1800000000.${String(++replyCounter).padStart(6, "0")}`;
const rendered = (c: SlackCall) => `${String(c.args.text ?? "")} ${JSON.stringify(c.args.blocks ?? [])}`;

/** The first chat.postMessage after `since` calls that matches; waits for it. */
async function posted(t: TestApp, since: number, match: (c: SlackCall) => boolean, timeoutMs = 60_000): Promise<SlackCall> {
  const find = (calls: SlackCall[]) => calls.slice(since).find((c) => c.method === "chat.postMessage" && match(c));
  await t.slack.waitFor((calls) => find(calls) !== undefined, timeoutMs);
  return find(t.slack.calls)!;
}

async function command(t: TestApp, text: string): Promise<number> {
  const since = t.slack.calls.length;
  const res = await postSigned(t.eventsUrl, slashCommandBody({ text, userId: USER, channelId: DM, responseUrl: t.slack.responseUrl() }), FORM);
  expect(res.status).toBe(200);
  return since;
}

async function commandReply(t: TestApp, text: string): Promise<string> {
  const since = await command(t, text);
  await t.slack.waitFor((calls) => calls.slice(since).some((c) => c.method === "response_url"));
  return JSON.stringify(t.slack.calls.slice(since).find((c) => c.method === "response_url")!.args);
}

/** Posts a reply in a thread as Slack delivers it; a code block also comes as a rich-text preformatted block. */
async function reply(t: TestApp, threadTs: string, text: string, code?: { language: string; source: string }): Promise<number> {
  const since = t.slack.calls.length;
  const event = code
    ? {
        text: "```" + code.language + "\n" + code.source.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;") + "```",
        blocks: [{ type: "rich_text", block_id: "b1", elements: [{ type: "rich_text_preformatted", elements: [{ type: "text", text: `${code.language}\n${code.source}` }] }] }],
      }
    : { text };
  const res = await postSigned(t.eventsUrl, eventBody({ type: "message", channel: DM, channel_type: "im", user: USER, ts: nextTs(), thread_ts: threadTs, ...event }), JSON_TYPE);
  expect(res.status).toBe(200);
  return since;
}

const inThread = (threadTs: string, pattern: string | RegExp) => (c: SlackCall) =>
  c.args.thread_ts === threadTs && (typeof pattern === "string" ? rendered(c).includes(pattern) : pattern.test(rendered(c)));
const roundOpened = (n: number) => (c: SlackCall) => c.args.thread_ts === undefined && String(c.args.text).startsWith(`Mock onsite · Round ${n} of`);

/** Waits until the thread record exists (it is written right after the post returns). */
async function threadOf(t: TestApp, call: SlackCall): Promise<string> {
  const ts = String(call.response!.ts);
  for (let i = 0; i < 100 && !(await t.running.engine.interview.thread({ channel: DM, ts })); i++) await new Promise((r) => setTimeout(r, 20));
  return ts;
}

function currentQuestionId(t: TestApp, threadTs: string): Promise<string> {
  return t.running.engine.interview.thread({ channel: DM, ts: threadTs }).then((th) => th!.questionId);
}

const TEXT_ANSWER =
  "I would start by clarifying the goal and the metric, then describe the data, the model and how we test it. " +
  "For example we measured NDCG@10 offline and conversion online, and the launch lifted revenue by 3 percent.";

describe("a full mock onsite in Slack (real HTTP app, fake Slack and OpenAI, real sandbox)", () => {
  it("runs every round in its own thread — code judged, follow-ups in context, hints capped — and ends with a debrief", async () => {
    openai = await startFakeOpenAI({ smartScore: 4 });
    app = await startTestApp({ env: { OPENAI_API_KEY: "sk-loop-test", OPENAI_BASE_URL: openai.url, OPENAI_MODEL: "fake-model", MOCK_LOOP_FOLLOWUP_DEPTH: "1" } });
    expect(app.running.engine.judge.available).toBe(true);
    const bank = app.running.engine.bank;

    let since = await command(app, "loop");
    let round = await posted(app, since, roundOpened(1));
    expect(round.args.channel).toBe(DM);
    expect(rendered(round)).toContain("Coding and Algorithms");
    expect(rendered(round)).toContain("Time guide");
    let threadTs = await threadOf(app, round);

    // Coding, question 1: a correct solution, run by the real sandbox.
    const first = bank.get(await currentQuestionId(app, threadTs)).question;
    since = await reply(app, threadTs, "", { language: "python", source: first.coding!.reference.python });
    const verdict = await posted(app, since, inThread(threadTs, "Overall"));
    expect(rendered(verdict)).toContain("Accepted");
    expect(rendered(verdict)).toMatch(/(\d+)\/\1 tests passed/);
    expect(rendered(verdict)).toContain(`Follow-up:* ${first.followUps[0]}`);

    // Its follow-up is graded with the code answer as earlier context.
    since = await reply(app, threadTs, "I would shard the values by absolute value so x and -x meet in the same reducer.");
    await posted(app, since, inThread(threadTs, "Follow-up feedback"));
    const followUpRequest = JSON.stringify(openai.requests.at(-1)!.body);
    expect(followUpRequest).toContain("EARLIER-ANSWER");
    expect(followUpRequest).toContain(first.coding!.reference.python.split("\n")[2]!.trim());
    expect(followUpRequest).toContain("shard the values by absolute value");

    // Question 2 in the same thread: a hint first, then a correct JavaScript solution.
    since = await reply(app, threadTs, "next");
    await posted(app, since, inThread(threadTs, "Question 2 of 2"));
    const second = bank.get(await currentQuestionId(app, threadTs)).question;
    since = await reply(app, threadTs, "hint");
    const hint = await posted(app, since, inThread(threadTs, ":bulb: Hint 1/"));
    expect(rendered(hint)).toContain(second.hints[0]!.slice(0, 30));
    expect(rendered(hint)).toContain("capped at 3/4");
    since = await reply(app, threadTs, "", { language: "js", source: second.coding!.reference.javascript });
    const secondVerdict = await posted(app, since, inThread(threadTs, "Overall"));
    expect(rendered(secondVerdict)).toContain("Accepted");
    expect(rendered(secondVerdict)).toContain("capped at 3");

    // The model answer, only after answering.
    since = await reply(app, threadTs, "model answer");
    await posted(app, since, inThread(threadTs, "Model answer"));

    // `next` ends the round; the next round opens its own thread.
    since = await reply(app, threadTs, "next");
    await posted(app, since, inThread(threadTs, "end of the *Coding and Algorithms* round"));
    // Rounds 2–5: answer each question once and move on.
    for (let n = 2; n <= 5; n++) {
      round = await posted(app, since, roundOpened(n));
      threadTs = await threadOf(app, round);
      const questions = (await app.running.deps.loop!.service.active(USER))!.rounds[n - 1]!.questions.length;
      for (let q = 0; q < questions; q++) {
        since = await reply(app, threadTs, TEXT_ANSWER);
        await posted(app, since, inThread(threadTs, "Overall"));
        since = await reply(app, threadTs, "next");
        if (q < questions - 1) await posted(app, since, inThread(threadTs, `Question ${q + 2} of ${questions}`));
      }
    }

    const debrief = await posted(app, since, (c) => c.args.thread_ts === undefined && String(c.args.text).startsWith("Mock onsite debrief"));
    const text = rendered(debrief);
    // Every answer scored 4 by the fake interviewer; the one hint capped one coding dimension at 3.
    expect(text).toContain("Recommendation: Strong hire");
    expect(text).toContain("Rule 3");
    for (const id of ["coding", "ir-ranking", "ml-system-design", "ml-modeling", "behavioral"]) expect(text).toContain(bank.round(id).title);
    expect(text).toContain(`1 hint on \`${second.id}\``);
    expect(text).toContain("Practise next");
    expect(text).toMatch(/accepted, (\d+)\/\1 tests/);

    // The three things to practise next reach the daily schedule.
    const stored = await app.running.deps.schedule!.store.peek({ kind: "user", id: USER });
    expect(stored?.focus).toHaveLength(3);
    expect(stored?.focus[0]).toMatchObject({ roundId: "coding" });

    const list = await commandReply(app, "loops");
    expect(list).toContain("completed");
    expect(list).toContain("Strong hire");
    // Secrets never reach Slack.
    const everything = JSON.stringify(app.slack.calls.map(({ args: { token: _auth, ...content } }) => content));
    expect(everything).not.toContain("sk-loop-test");
    expect(everything).not.toContain(TEST_BOT_TOKEN);
  }, 240_000);

  it("survives a restart mid-round, and records a loop abandoned with `end`", async () => {
    slack = await startFakeSlack();
    app = await startTestApp({ slack });
    let since = await command(app, "loop --with-hm");
    const round = await posted(app, since, roundOpened(1));
    expect(rendered(round)).toContain(app.running.engine.bank.round("hiring-manager").title);
    const threadTs = await threadOf(app, round);
    since = await reply(app, threadTs, TEXT_ANSWER);
    // No LLM configured: the offline check reports coverage, never a hire signal.
    const critique = await posted(app, since, inThread(threadTs, "Key-point coverage"));
    expect(rendered(critique)).toContain("Follow-up:");

    const dataDir = app.dataDir;
    restartedDirs.push(dataDir);
    await app.stopApp();
    app = await startTestApp({ slack, dataDir });

    // Same thread, after the restart: the reply answers the pending follow-up.
    since = await reply(app, threadTs, "I chose the simpler model because it shipped in two weeks and was easier to monitor.");
    await posted(app, since, inThread(threadTs, "Follow-up feedback"));
    const status = await commandReply(app, "loop");
    expect(status).toContain("already have a mock onsite running");
    expect(status).toContain("question 1 of");

    since = await reply(app, threadTs, "end");
    await posted(app, since, inThread(threadTs, "recorded as abandoned"));
    const partial = await posted(app, since, (c) => String(c.args.text).startsWith("Mock onsite debrief"));
    expect(rendered(partial)).toContain("ended early");
    expect(rendered(partial)).toContain("Incomplete");
    since = await reply(app, threadTs, "Another answer after the end.");
    await posted(app, since, inThread(threadTs, "was ended"));

    const list = await commandReply(app, "loops");
    expect(list).toContain("abandoned");
    expect(list).toContain("Incomplete");
    const loops = await app.running.deps.loop!.service.list(USER);
    expect(loops[0]).toMatchObject({ status: "abandoned" });
    expect(loops[0]!.endedAt).toBeDefined();

    // `/interview loop end` abandons from anywhere; with nothing running it says so.
    expect(await commandReply(app, "loop end")).toContain("no mock loop running");
    expect(await commandReply(app, "loop")).toContain("has started in our DM");
    expect(await commandReply(app, "loop end")).toContain("ended before any answer");
    expect((await app.running.deps.loop!.service.list(USER)).map((l) => l.status)).toEqual(["abandoned", "abandoned"]);
  }, 120_000);

  it("paces one round a day: the next round waits for its time, and one that fell due while the app was down is posted at start-up", async () => {
    slack = await startFakeSlack();
    app = await startTestApp({ slack });
    let since = await command(app, "loop daily");
    const round = await posted(app, since, roundOpened(1));
    const threadTs = await threadOf(app, round);
    since = await reply(app, threadTs, "skip");
    await posted(app, since, inThread(threadTs, "Question 2 of 2"));
    since = await reply(app, threadTs, "skip");
    const ended = await posted(app, since, inThread(threadTs, "end of the"));
    expect(rendered(ended)).toContain("America/Los_Angeles");
    await new Promise((r) => setTimeout(r, 300));
    expect(app.slack.calls.slice(since).some(roundOpened(2))).toBe(false);
    expect(await commandReply(app, "loop status")).toContain(":hourglass_flowing_sand:");
    // The finished round's thread takes no more answers.
    since = await reply(app, threadTs, "A late thought on the coding round.");
    await posted(app, since, inThread(threadTs, "This round is over. Next up: *Information Retrieval and Ranking*"));

    // A day passes while the app is down.
    const dataDir = app.dataDir;
    restartedDirs.push(dataDir);
    await app.stopApp();
    const loop = (await app.running.deps.loop!.service.active(USER))!;
    const past = new Date(Date.now() - 60_000).toISOString();
    for (const file of [join(dataDir, "loops", USER, `${loop.id}.json`), join(dataDir, "loops", USER, "index.json")]) {
      writeFileSync(file, readFileSync(file, "utf8").replace(/"nextRoundDueAt": ?"[^"]+"/g, `"nextRoundDueAt": "${past}"`));
    }
    since = slack.calls.length;
    app = await startTestApp({ slack, dataDir });
    const second = await posted(app, since, roundOpened(2), 15_000);
    expect(rendered(second)).toContain(app.running.engine.bank.round("ir-ranking").title);

    // `end` typed in an earlier round's thread still ends the running loop.
    since = await reply(app, threadTs, "end");
    await posted(app, since, inThread(threadTs, "recorded as abandoned"));
    expect((await app.running.deps.loop!.service.list(USER))[0]).toMatchObject({ status: "abandoned", roundsDone: 1 });
  }, 120_000);
});
