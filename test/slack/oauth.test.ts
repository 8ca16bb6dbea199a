import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.js";
import type { OAuthGrant } from "../support/fake-slack.js";
import { eventBody, postSigned, slashCommandBody } from "../support/signed.js";
import { localParts } from "../../src/engine/schedule/zones.js";

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";
const STATE_COOKIE = "slack-app-oauth-state";

/** Two workspaces, each with its own bot token; the same person id exists in both (Slack Connect, or chance). */
const ALPHA: OAuthGrant = { teamId: "TALPHA01", teamName: "Alpha", botToken: "xoxb-alpha-3f9c1e7d5b2a-secret-token", installerUserId: "UADMINA" };
const BETA: OAuthGrant = { teamId: "TBETA002", teamName: "Beta", botToken: "xoxb-beta-8e4d2c6a0f1b-secret-token", installerUserId: "UADMINB" };
const PERSON = "UPERSON1";
const ANSWER = [
  "I would frame it as learning to rank: retrieve candidates with BM25 plus embeddings, then rank with a LambdaMART model.",
  "Metric: add-to-cart rate per search, and offline NDCG@10 on logged clicks; an A/B test on conversion.",
].join(" ");

let app: TestApp | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function startOAuthApp(): Promise<TestApp> {
  return startTestApp({
    env: {
      SLACK_BOT_TOKEN: "",
      SLACK_CLIENT_ID: "1111.2222",
      SLACK_CLIENT_SECRET: "fake-client-secret",
      SLACK_STATE_SECRET: "state-secret-for-tests-0123456789",
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    },
  });
}

const base = (t: TestApp) => `http://127.0.0.1:${t.running.port}`;

/** The browser's part: the install page, its Add to Slack link (state in it and in a cookie), Slack's redirect back. */
async function install(t: TestApp, grant: OAuthGrant, code = `code-${grant.teamId}`): Promise<Response> {
  const page = await fetch(`${base(t)}/slack/install`);
  expect(page.status).toBe(200);
  const html = await page.text();
  const href = /<a href="([^"]+)"/.exec(html)?.[1];
  expect(html).toContain("Add to Slack");
  const authorize = new URL(href!);
  expect(authorize.searchParams.get("client_id")).toBe("1111.2222");
  expect(authorize.searchParams.get("scope")?.split(",")).toEqual(expect.arrayContaining(["commands", "chat:write", "im:history"]));
  const state = authorize.searchParams.get("state")!;
  expect(page.headers.get("set-cookie")).toContain(`${STATE_COOKIE}=${state}`);
  t.slack.oauth.grants.set(code, grant);
  return fetch(`${base(t)}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie: `${STATE_COOKIE}=${state}` } });
}

function installationFile(t: TestApp, teamId: string): string {
  return join(t.dataDir, "installations", `${teamId}.json`);
}

async function ask(t: TestApp, teamId: string, channel: string) {
  const before = t.slack.callsTo("chat.postMessage").length;
  const res = await postSigned(t.eventsUrl, slashCommandBody({ text: "ask mlsd", userId: PERSON, channelId: channel, responseUrl: t.slack.responseUrl(), teamId }), FORM);
  expect(res.status).toBe(200);
  const calls = await t.slack.waitFor((cs) => cs.filter((c) => c.method === "chat.postMessage").length > before);
  const question = calls.filter((c) => c.method === "chat.postMessage")[before]!;
  return { question, ts: String(question.response!.ts), channel: String(question.args.channel) };
}

async function stats(t: TestApp, teamId: string): Promise<string> {
  const responseUrl = t.slack.responseUrl();
  await postSigned(t.eventsUrl, slashCommandBody({ text: "stats", userId: PERSON, channelId: "DSTATS", responseUrl, teamId }), FORM);
  const mine = (cs: typeof t.slack.calls) => cs.filter((c) => c.method === "response_url" && c.url === responseUrl);
  return String(mine(await t.slack.waitFor((cs) => mine(cs).length > 0))[0]!.args.text);
}

describe("OAuth: many workspaces installed through /slack/install (real Bolt receiver, fake Slack)", () => {
  it("installs two workspaces and answers each with its own token and its own data", async () => {
    app = await startOAuthApp();
    for (const grant of [ALPHA, BETA]) {
      const done = await install(app, grant);
      expect(done.status).toBe(200);
      expect(await done.text()).toContain("Thank you!");
    }
    // The code was exchanged at SLACK_API_URL with the app's credentials, form-encoded, once per install.
    const exchanges = app.slack.callsTo("oauth.v2.access");
    expect(exchanges.map((c) => c.args.code)).toEqual([`code-${ALPHA.teamId}`, `code-${BETA.teamId}`]);
    expect(exchanges[0]!.args).toMatchObject({ client_id: "1111.2222", client_secret: "fake-client-secret" });

    // Stored encrypted: no token, nor any 8 characters of one, in the document.
    for (const grant of [ALPHA, BETA]) {
      const raw = readFileSync(installationFile(app, grant.teamId), "utf8");
      for (let i = 0; i + 8 <= grant.botToken.length; i++) expect(raw).not.toContain(grant.botToken.slice(i, i + 8));
      const doc = JSON.parse(raw);
      expect(doc).toMatchObject({ workspace: grant.teamId, teamId: grant.teamId, isEnterpriseInstall: false, secret: { alg: "aes-256-gcm" } });
    }
    expect(await app.running.workspaces.served()).toEqual([ALPHA.teamId, BETA.teamId]);

    // A command from each workspace is answered with that workspace's token.
    const inAlpha = await ask(app, ALPHA.teamId, "DALPHA");
    expect(inAlpha.question.token).toBe(ALPHA.botToken);
    const inBeta = await ask(app, BETA.teamId, "DBETA");
    expect(inBeta.question.token).toBe(BETA.botToken);

    // The same person answers in Alpha: graded and posted later, from the inbox, with Alpha's token.
    const reply = await postSigned(
      app.eventsUrl,
      eventBody({ type: "message", channel: inAlpha.channel, channel_type: "im", user: PERSON, text: ANSWER, ts: "1800000000.000200", thread_ts: inAlpha.ts }, { teamId: ALPHA.teamId, botUserId: `UBOT${ALPHA.teamId}` }),
      JSON_TYPE,
    );
    expect(reply.status).toBe(200);
    const calls = await app.slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && c.args.thread_ts === inAlpha.ts));
    const critique = calls.find((c) => c.method === "chat.postMessage" && c.args.thread_ts === inAlpha.ts)!;
    expect(critique.token).toBe(ALPHA.botToken);
    expect(calls.filter((c) => c.method === "reactions.add").every((c) => c.token === ALPHA.botToken)).toBe(true);

    // Their history in Alpha is not visible from Beta.
    expect(await stats(app, ALPHA.teamId)).toBe("Your progress: 1 answers");
    expect(await stats(app, BETA.teamId)).toBe("Your progress: 0 answers");
    expect(existsSync(join(app.dataDir, "workspaces", ALPHA.teamId, "users", `${PERSON}.json`))).toBe(true);
    expect(existsSync(join(app.dataDir, "users"))).toBe(false);

    // No token ever reached a message, and none was logged into any stored document.
    const content = JSON.stringify(app.slack.calls.map(({ args: { token: _t, client_secret: _s, ...rest } }) => rest));
    for (const grant of [ALPHA, BETA]) expect(content.replace(JSON.stringify(exchanges.map((c) => c.response)), "")).not.toContain(grant.botToken);
    const stored = readdirSync(app.dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    for (const file of stored) {
      const text = readFileSync(join(file.parentPath, file.name), "utf8");
      for (const grant of [ALPHA, BETA]) expect(text).not.toContain(grant.botToken);
    }
  });

  it("refuses a redirect with a missing or forged state: an error page, nothing exchanged, nothing stored", async () => {
    app = await startOAuthApp();
    app.slack.oauth.grants.set("code-x", ALPHA);
    const missing = await fetch(`${base(app)}/slack/oauth_redirect?code=code-x`);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("Something Went Wrong");
    // A state not issued by this app (the cookie matches it, but its signature does not verify).
    const forged = await fetch(`${base(app)}/slack/oauth_redirect?code=code-x&state=forged`, { headers: { cookie: `${STATE_COOKIE}=forged` } });
    expect(forged.status).toBeGreaterThanOrEqual(400);
    // A real state, but from another browser (no cookie).
    const page = await (await fetch(`${base(app)}/slack/install`)).text();
    const state = new URL(/<a href="([^"]+)"/.exec(page)![1]!).searchParams.get("state")!;
    const otherBrowser = await fetch(`${base(app)}/slack/oauth_redirect?code=code-x&state=${encodeURIComponent(state)}`);
    expect(otherBrowser.status).toBe(400);
    expect(app.slack.callsTo("oauth.v2.access")).toEqual([]);
    expect(existsSync(join(app.dataDir, "installations"))).toBe(false);
    expect(await app.running.workspaces.served()).toEqual([]);
  });

  it("a code Slack refuses is an error page and stores nothing", async () => {
    app = await startOAuthApp();
    const page = await fetch(`${base(app)}/slack/install`);
    const state = new URL(/<a href="([^"]+)"/.exec(await page.text())![1]!).searchParams.get("state")!;
    const res = await fetch(`${base(app)}/slack/oauth_redirect?code=never-issued&state=${encodeURIComponent(state)}`, { headers: { cookie: `${STATE_COOKIE}=${state}` } });
    expect(res.status).toBe(500);
    expect(app.slack.callsTo("oauth.v2.access").map((c) => c.response?.error)).toEqual(["invalid_code"]);
    expect(existsSync(join(app.dataDir, "installations"))).toBe(false);
  });

  it("app_uninstalled deletes the installation and pauses that workspace's schedules; a reinstall resumes them", async () => {
    app = await startOAuthApp();
    await install(app, ALPHA);
    await install(app, BETA);
    const subscribe = await postSigned(app.eventsUrl, slashCommandBody({ text: "daily 9:00 weekdays mlsd", userId: PERSON, channelId: "DALPHA", responseUrl: app.slack.responseUrl(), teamId: ALPHA.teamId }), FORM);
    expect(subscribe.status).toBe(200);
    const alpha = await app.running.workspaces.get(ALPHA.teamId);
    await app.slack.waitFor(() => alpha.deps.schedule.scheduler.stats.subscribers === 1);

    const uninstalled = await postSigned(app.eventsUrl, eventBody({ type: "app_uninstalled" }, { teamId: ALPHA.teamId }), JSON_TYPE);
    expect(uninstalled.status).toBe(200);
    // The installation is deleted first, then the workspace's timers stop.
    await waitUntil(async () => !existsSync(installationFile(app!, ALPHA.teamId)) && !(await app!.running.workspaces.served()).includes(ALPHA.teamId));
    expect(await app.running.workspaces.served()).toEqual([BETA.teamId]);
    // Its scheduler no longer runs; the subscription itself is kept.
    expect((await alpha.deps.schedule.store.peek({ kind: "user", id: PERSON }))?.subscription).toBeDefined();
    // Requests from the uninstalled workspace are no longer served (no token to answer with).
    const posts = app.slack.callsTo("chat.postMessage").length;
    await postSigned(app.eventsUrl, slashCommandBody({ text: "ask mlsd", userId: PERSON, channelId: "DALPHA", responseUrl: app.slack.responseUrl(), teamId: ALPHA.teamId }), FORM);
    await new Promise((r) => setTimeout(r, 300));
    expect(app.slack.callsTo("chat.postMessage").length).toBe(posts);
    // Beta is untouched.
    expect(existsSync(installationFile(app, BETA.teamId))).toBe(true);

    await install(app, { ...ALPHA, botToken: "xoxb-alpha-reinstalled-token-77aa" }, "code-again");
    await waitUntil(async () => (await app!.running.workspaces.served()).includes(ALPHA.teamId));
    const resumed = await app.running.workspaces.get(ALPHA.teamId);
    expect(resumed.deps.schedule.scheduler.stats.subscribers).toBe(1);
    const again = await ask(app, ALPHA.teamId, "DALPHA");
    expect(again.question.token).toBe("xoxb-alpha-reinstalled-token-77aa");
  });

  it("tokens_revoked for the bot is an uninstall", async () => {
    app = await startOAuthApp();
    await install(app, BETA);
    const res = await postSigned(
      app.eventsUrl,
      eventBody({ type: "tokens_revoked", tokens: { bot: [`UBOT${BETA.teamId}`] } }, { teamId: BETA.teamId }),
      JSON_TYPE,
    );
    expect(res.status).toBe(200);
    await waitUntil(async () => !existsSync(installationFile(app!, BETA.teamId)) && (await app!.running.workspaces.served()).length === 0);
  });

  it("installations survive a restart: each workspace's schedules start again with its own token", async () => {
    app = await startOAuthApp();
    await install(app, ALPHA);
    await postSigned(app.eventsUrl, slashCommandBody({ text: "daily 9:00 mlsd", userId: PERSON, channelId: "DALPHA", responseUrl: app.slack.responseUrl(), teamId: ALPHA.teamId }), FORM);
    await waitUntil(async () => (await app!.running.workspaces.get(ALPHA.teamId)).deps.schedule.scheduler.stats.subscribers === 1);
    await app.stopApp();
    const restarted = await startTestApp({ dataDir: app.dataDir, slack: app.slack, env: { ...oauthEnv(app) } });
    try {
      expect(await restarted.running.workspaces.served()).toEqual([ALPHA.teamId]);
      expect((await restarted.running.workspaces.get(ALPHA.teamId)).deps.schedule.scheduler.stats.subscribers).toBe(1);
      const again = await ask(restarted, ALPHA.teamId, "DALPHA");
      expect(again.question.token).toBe(ALPHA.botToken);
    } finally {
      await restarted.stopApp();
    }
  });
});

describe("daily questions per workspace", () => {
  it("each workspace's scheduler delivers its own subscriber's question with its own token, once", async () => {
    app = await startOAuthApp();
    await install(app, ALPHA);
    await install(app, BETA);
    // The same person id subscribed in both workspaces, for a slot two minutes ago (missed while the app was down).
    const now = new Date();
    const tz = ["UTC", "Asia/Tokyo", "America/New_York"].find((zone) => {
      const [h, m] = localParts(now, zone).time.split(":").map(Number);
      return h! * 60 + m! >= 5 && h! * 60 + m! <= 23 * 60 + 50;
    })!;
    app.slack.users.set(PERSON, { tz });
    const slotAt = localParts(new Date(now.getTime() - 2 * 60_000), tz).time.split(":").map(Number);
    for (const grant of [ALPHA, BETA]) {
      const { store } = (await app.running.workspaces.get(grant.teamId)).deps.schedule;
      const doc = await store.open({ kind: "user", id: PERSON });
      const earlier = new Date(now.getTime() - 3_600_000).toISOString();
      doc.data.tz = tz;
      doc.data.subscription = {
        time: { hour: slotAt[0]!, minute: slotAt[1]! },
        days: [0, 1, 2, 3, 4, 5, 6],
        rounds: ["ml-system-design"],
        ownerId: PERSON,
        createdAt: earlier,
        updatedAt: earlier,
        updatedBy: PERSON,
        effectiveFrom: earlier,
      };
      await doc.write();
    }
    await app.stopApp();
    const first = app;
    app = await startTestApp({ dataDir: first.dataDir, slack: first.slack, env: oauthEnv(first) });
    try {
      const daily = (cs: typeof first.slack.calls) =>
        cs.filter((c) => c.method === "chat.postMessage" && (c.args.metadata as { event_type?: string } | undefined)?.event_type === "interview_daily_question");
      const calls = await app.slack.waitFor((cs) => daily(cs).length >= 2);
      await new Promise((r) => setTimeout(r, 300));
      expect(daily(app.slack.calls).map((c) => c.token).sort()).toEqual([ALPHA.botToken, BETA.botToken].sort());
      expect(daily(calls).every((c) => c.args.channel === `D${PERSON.slice(1)}`)).toBe(true);
      // Each delivery became a thread of its own workspace only.
      for (const [grant, other] of [[ALPHA, BETA], [BETA, ALPHA]] as const) {
        const post = daily(app.slack.calls).find((c) => c.token === grant.botToken)!;
        const key = { channel: String(post.args.channel), ts: String(post.response!.ts) };
        await waitUntil(async () => Boolean(await (await app!.running.workspaces.get(grant.teamId)).deps.interview.thread(key)));
        expect(await (await app.running.workspaces.get(other.teamId)).deps.interview.thread(key)).toBeUndefined();
      }
    } finally {
      await app.stopApp();
      app = first;
    }
  });
});

describe("single-workspace mode (SLACK_BOT_TOKEN)", () => {
  it("keeps its data at the root of DATA_DIR and pauses its schedules when the app is uninstalled", async () => {
    app = await startTestApp();
    expect(await app.running.workspaces.served()).toEqual([""]);
    await postSigned(app.eventsUrl, slashCommandBody({ text: "daily 9:00 mlsd", userId: PERSON, channelId: "D1", responseUrl: app.slack.responseUrl() }), FORM);
    await waitUntil(async () => app!.running.deps.schedule.scheduler.stats.subscribers === 1);
    expect(existsSync(join(app.dataDir, "workspaces"))).toBe(false);
    const res = await postSigned(app.eventsUrl, eventBody({ type: "app_uninstalled" }), JSON_TYPE);
    expect(res.status).toBe(200);
    await waitUntil(async () => (await app!.running.workspaces.served()).length === 0);
    expect((await app.running.deps.schedule.store.peek({ kind: "user", id: PERSON }))?.subscription).toBeDefined();
  });
});

describe("switching from one bot token to OAuth", () => {
  it("the workspace that used the token keeps its history and schedules; another workspace sees none of it", async () => {
    app = await startTestApp();
    const asked = await ask(app, "T0001", "D1");
    await postSigned(app.eventsUrl, eventBody({ type: "message", channel: asked.channel, user: PERSON, text: ANSWER, ts: "1800000000.000900", thread_ts: asked.ts }), JSON_TYPE);
    await app.slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && c.args.thread_ts === asked.ts));
    await postSigned(app.eventsUrl, slashCommandBody({ text: "daily 9:00 mlsd", userId: PERSON, channelId: "D1", responseUrl: app.slack.responseUrl() }), FORM);
    await waitUntil(async () => app!.running.deps.schedule.scheduler.stats.subscribers === 1);
    await app.stopApp();

    const first = app;
    const key = randomBytes(32).toString("base64");
    app = await startTestApp({
      dataDir: first.dataDir,
      slack: first.slack,
      env: { SLACK_BOT_TOKEN: "", SLACK_CLIENT_ID: "1111.2222", SLACK_CLIENT_SECRET: "fake-client-secret", SLACK_STATE_SECRET: "state-secret-for-tests-0123456789", TOKEN_ENCRYPTION_KEY: key },
    });
    try {
      await install(app, { teamId: "T0001", botToken: "xoxb-t0001-oauth-token-1234" });
      await install(app, BETA);
      expect(await stats(app, "T0001")).toBe("Your progress: 1 answers");
      expect(await stats(app, BETA.teamId)).toBe("Your progress: 0 answers");
      expect((await app.running.workspaces.get("T0001")).deps.schedule.scheduler.stats.subscribers).toBe(1);
      expect((await app.running.workspaces.get(BETA.teamId)).deps.schedule.scheduler.stats.subscribers).toBe(0);
    } finally {
      await app.stopApp();
      app = first;
    }
  });
});

describe("OAuth start-up with another TOKEN_ENCRYPTION_KEY", () => {
  it("stops with a message naming the key ids, and leaves the installations as they were", async () => {
    app = await startOAuthApp();
    await install(app, ALPHA);
    await app.stopApp();
    const before = readFileSync(installationFile(app, ALPHA.teamId), "utf8");
    const otherKey = randomBytes(32).toString("base64");
    const error = await startTestApp({ dataDir: app.dataDir, slack: app.slack, env: { ...oauthEnv(app), TOKEN_ENCRYPTION_KEY: otherKey } }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.name).toBe("TokenDecryptError");
    expect(error?.message).toMatch(/Set TOKEN_ENCRYPTION_KEY to the key the installations were stored with/);
    expect(error?.message).not.toContain(otherKey);
    expect(readFileSync(installationFile(app, ALPHA.teamId), "utf8")).toBe(before);
  });
});

/** The same OAuth settings as `t` (its key included), for a restart. */
function oauthEnv(t: TestApp): Record<string, string> {
  const oauth = t.config.slack.oauth!;
  return {
    SLACK_BOT_TOKEN: "",
    SLACK_CLIENT_ID: oauth.clientId,
    SLACK_CLIENT_SECRET: oauth.clientSecret,
    SLACK_STATE_SECRET: oauth.stateSecret,
    TOKEN_ENCRYPTION_KEY: oauth.tokenEncryptionKey.toString("base64"),
  };
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
