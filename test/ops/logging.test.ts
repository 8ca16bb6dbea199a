/**
 * The server's JSON logs: one line per event with level and time, team and user of the request being
 * handled, error stacks — and no secret, however it reaches the logger.
 */
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { appLogger, boltLogger, createLogger, lifecycleLogger, secretsIn, withLogContext } from "../../src/ops/logging.js";
import { startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai.js";
import { startTestApp, TEST_BOT_TOKEN, type TestApp } from "../support/app.js";
import { eventBody, postSigned, slashCommandBody, TEST_SIGNING_SECRET } from "../support/signed.js";

const BOT_TOKEN = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx";
const APP_TOKEN = "xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef";
const SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543";
const OPENAI_KEY = "sk-proj-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0F";
const DB_PASSWORD = "hunter2-correct-horse";

function collect() {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(line) }, records: () => lines.map((l) => JSON.parse(l)) };
}

function configWithSecrets() {
  return loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_APP_TOKEN: APP_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    OPENAI_API_KEY: OPENAI_KEY,
    DATA_DIR: "/tmp/unused",
  });
}

describe("JSON log lines", () => {
  it("carry level, time, message and the error's stack under err", () => {
    const out = collect();
    const log = appLogger(createLogger({ level: "info", destination: out.destination }));
    log.info("started", { port: 3000 });
    log.debug("not at info level");
    const error = new Error("disk full");
    log.error("saving failed", { err: error, user: "U111", team: "T111" });
    const [started, failed] = out.records();
    expect(out.lines).toHaveLength(2);
    expect(out.lines.every((l) => l.endsWith("\n") && !l.slice(0, -1).includes("\n"))).toBe(true);
    expect(started).toMatchObject({ level: "info", msg: "started", port: 3000 });
    expect(new Date(started.time).toISOString()).toBe(started.time);
    expect(failed).toMatchObject({ level: "error", msg: "saving failed", user: "U111", team: "T111", err: { type: "Error", message: "disk full" } });
    expect(failed.err.stack).toContain("logging.test.ts");
  });

  it("honour LOG_LEVEL", () => {
    const out = collect();
    const log = appLogger(createLogger({ level: "warn", destination: out.destination }));
    log.info("quiet");
    log.warn("loud");
    expect(out.records().map((r) => r.msg)).toEqual(["loud"]);
    const debug = collect();
    appLogger(createLogger({ level: "debug", destination: debug.destination })).debug("detail");
    expect(debug.records()).toMatchObject([{ level: "debug", msg: "detail" }]);
  });

  it("start and stop milestones are written whatever LOG_LEVEL, other info lines are not", () => {
    const out = collect();
    const log = createLogger({ level: "error", destination: out.destination });
    appLogger(log).info("routine");
    appLogger(lifecycleLogger(log)).info("Interview coach is listening on http://localhost:1/slack/events");
    appLogger(lifecycleLogger(log)).debug("not a milestone");
    expect(out.records()).toMatchObject([{ level: "info", lifecycle: true, msg: "Interview coach is listening on http://localhost:1/slack/events" }]);
    // A lower LOG_LEVEL is kept for them too.
    const debug = collect();
    appLogger(lifecycleLogger(createLogger({ level: "debug", destination: debug.destination }))).debug("detail");
    expect(debug.records()).toHaveLength(1);
  });

  it("name the team and user of the work being done, without leaking into other work", async () => {
    const out = collect();
    const log = appLogger(createLogger({ level: "info", destination: out.destination }));
    await Promise.all([
      withLogContext({ team: "T1", user: "U1" }, async () => {
        await new Promise((r) => setTimeout(r, 5));
        log.info("one");
      }),
      withLogContext({ team: "T2", user: "U2" }, async () => log.info("two")),
    ]);
    log.info("outside");
    const byMsg = Object.fromEntries(out.records().map((r) => [r.msg, r]));
    expect(byMsg.one).toMatchObject({ team: "T1", user: "U1" });
    expect(byMsg.two).toMatchObject({ team: "T2", user: "U2" });
    expect(byMsg.outside.team).toBeUndefined();
    expect(byMsg.outside.user).toBeUndefined();
  });
});

describe("secrets never reach a log line", () => {
  const secrets = [BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, OPENAI_KEY, DB_PASSWORD];

  it("whether in a message, a field, a nested header, an error stack or a request body Bolt dumps", () => {
    const config = { ...configWithSecrets(), database: { url: `postgres://coach:${DB_PASSWORD}@db.internal:5432/coach` } };
    const out = collect();
    const pino = createLogger({ level: "debug", secrets: secretsIn(config), destination: out.destination });
    const log = appLogger(pino);
    log.info(`token is ${BOT_TOKEN} and key ${OPENAI_KEY}`);
    log.warn("calling Slack", { token: BOT_TOKEN, request: { headers: { authorization: `Bearer ${BOT_TOKEN}` } }, signingSecret: SIGNING_SECRET });
    log.error("OpenAI failed", { err: new Error(`Incorrect API key provided: ${OPENAI_KEY}`) });
    log.error(`could not connect to postgres://coach:${DB_PASSWORD}@db.internal:5432/coach`);
    log.info("config", { config });
    const bolt = boltLogger(log, "debug");
    bolt.debug(JSON.stringify({ token: "verif1cationTok3n", team_id: "T1", api_app_id: "A1", text: "hi" }));
    bolt.debug(`http request body: token=${BOT_TOKEN}&channel=C1`);
    bolt.error("An unhandled error occurred", new Error(`socket closed for ${APP_TOKEN}`));
    const all = out.lines.join("");
    expect(out.lines.length).toBe(8);
    for (const secret of [...secrets, "verif1cationTok3n"]) expect(all).not.toContain(secret);
    // What is not secret is still there, so the lines stay useful.
    expect(all).toContain("db.internal:5432");
    expect(all).toContain("calling Slack");
    expect(all).toContain("[redacted]");
    const records = out.records();
    expect(records[1]).toMatchObject({ token: "[redacted]", signingSecret: "[redacted]", request: { headers: { authorization: "[redacted]" } } });
    expect(records[2].err.stack).toContain("Incorrect API key provided: [redacted]");
    expect(records[7]).toMatchObject({ level: "error", component: "bolt", err: { message: "socket closed for [redacted]" } });
  });

  it("including tokens the configuration does not know (another workspace's bot token)", () => {
    const out = collect();
    const log = appLogger(createLogger({ level: "info", destination: out.destination }));
    log.info("installed", { installation: { bot: { token: "xoxb-999-888-otherWorkspaceToken" } } });
    log.info("refreshed xoxe.xoxp-1-refreshtokenvalue and xoxp-1-2-3-userTokenValue");
    const all = out.lines.join("");
    expect(all).not.toContain("otherWorkspaceToken");
    expect(all).not.toContain("userTokenValue");
  });
});

describe("the running app logs through pino, Bolt included", () => {
  let app: TestApp | undefined;
  let openai: FakeOpenAI | undefined;
  afterEach(async () => {
    await app?.close();
    await openai?.close();
    app = openai = undefined;
  });

  it("a graded answer whose LLM call fails is logged as JSON naming the user, without the bot token, signing secret or OpenAI key", async () => {
    const key = "sk-canary-openai-key-do-not-leak";
    openai = await startFakeOpenAI();
    openai.enqueue({ kind: "error", status: 401, message: `Incorrect API key provided: ${key}` });
    const out = collect();
    const env = { LOG_LEVEL: "debug", OPENAI_API_KEY: key, OPENAI_BASE_URL: openai.url, OPENAI_MAX_RETRIES: "0" };
    const config = loadConfig({ SLACK_BOT_TOKEN: TEST_BOT_TOKEN, SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, ...env });
    const logger = appLogger(createLogger({ level: "debug", secrets: secretsIn(config), destination: out.destination }));
    app = await startTestApp({ env, logger });
    await postSigned(app.eventsUrl, slashCommandBody({ text: "ask mlsd", userId: "U111", channelId: "D111", responseUrl: app.slack.responseUrl() }), "application/x-www-form-urlencoded");
    await app.slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage"));
    const threadTs = String(app.slack.callsTo("chat.postMessage")[0]!.response!.ts);
    while (!(await app.running.engine.interview.thread({ channel: "D111", ts: threadTs }))) await new Promise((r) => setTimeout(r, 10));
    await postSigned(app.eventsUrl, eventBody({ type: "message", channel: "D111", user: "U111", text: "BM25 then LambdaMART, NDCG@10 offline.", ts: "1800000000.000900", thread_ts: threadTs }), "application/json");
    await app.slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs), 20_000);

    const records = out.records();
    expect(records.length).toBeGreaterThan(5);
    for (const r of records) {
      expect(typeof r.level).toBe("string");
      expect(typeof r.time).toBe("string");
    }
    // The fallback warning is about U111's answer, in U111's log context.
    const fallback = records.find((r) => typeof r.msg === "string" && r.msg.includes("LLM critic failed"));
    expect(fallback).toMatchObject({ level: "warn", user: "U111" });
    // Bolt's own debug lines (request bodies, Web API calls) came through the same logger.
    expect(records.some((r) => r.component === "bolt" || r.component === "bolt-app")).toBe(true);
    expect(records.some((r) => r.team === "T0001" || r.team === "T123")).toBe(true);
    const all = out.lines.join("");
    for (const secret of [TEST_BOT_TOKEN, TEST_SIGNING_SECRET, key]) expect(all).not.toContain(secret);
  }, 30_000);
});
