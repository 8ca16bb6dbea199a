/**
 * The deployment issue 10 describes, for real: two ROLE=app processes and two ROLE=worker processes on one
 * PostgreSQL database, serving three workspaces installed through OAuth. 999 daily subscribers (333 per
 * workspace) are due at once: every one gets exactly one question, posted with its own workspace's token.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScheduleStore } from "../../src/engine/schedule/schedule-store.js";
import type { DocumentStore } from "../../src/engine/storage/documents.js";
import { subscribersDueNow } from "../schedule/support/instances.js";
import { startAppProcess, startWorkerProcess, type AppProcess } from "../durability/support/app-process.js";
import { startFakeSlack, type FakeSlack, type OAuthGrant } from "../support/fake-slack.js";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../support/postgres.js";
import { openPostgresDocuments } from "../support/postgres-documents.js";

const STATE_COOKIE = "slack-app-oauth-state";
const PER_WORKSPACE = 333;
const GRANTS: OAuthGrant[] = ["TFLEETA1", "TFLEETB2", "TFLEETC3"].map((teamId) => ({
  teamId,
  teamName: teamId,
  botToken: `xoxb-${teamId.toLowerCase()}-${randomBytes(6).toString("hex")}`,
  installerUserId: `UADMIN${teamId.slice(-1)}`,
}));

/** The browser's part of an install, against one app process: install page, Add to Slack (state), redirect back. */
async function install(slack: FakeSlack, eventsUrl: string, grant: OAuthGrant): Promise<void> {
  const base = eventsUrl.replace(/\/slack\/events$/, "");
  const page = await fetch(`${base}/slack/install`);
  const href = /<a href="([^"]+)"/.exec(await page.text())?.[1];
  const state = new URL(href!).searchParams.get("state")!;
  const code = `code-${grant.teamId}`;
  slack.oauth.grants.set(code, grant);
  const done = await fetch(`${base}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie: `${STATE_COOKIE}=${state}` } });
  expect(done.status).toBe(200);
}

describe.skipIf(!TEST_DATABASE_URL)("two app and two worker processes, three workspaces, one database", () => {
  let slack: FakeSlack;
  let db: TestDatabase;
  let documents: DocumentStore;
  const procs: Omit<AppProcess, "eventsUrl">[] = [];
  const dirs: string[] = [];
  const env = () => {
    const dir = mkdtempSync(join(tmpdir(), "coach-fleet-"));
    dirs.push(dir);
    return {
      DATA_DIR: dir,
      DATABASE_URL: db.url,
      SLACK_API_URL: slack.apiUrl,
      SLACK_BOT_TOKEN: "",
      SLACK_CLIENT_ID: slack.oauth.clientId,
      SLACK_CLIENT_SECRET: slack.oauth.clientSecret,
      SLACK_STATE_SECRET: "fleet-state-secret-0123456789",
      TOKEN_ENCRYPTION_KEY: KEY,
    };
  };
  const KEY = randomBytes(32).toString("base64");

  beforeAll(async () => {
    slack = await startFakeSlack();
    db = await createTestDatabase("fleet");
  });

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.crash().catch(() => undefined)));
    await documents?.close();
    await slack?.close();
    await db?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("delivers 999 daily questions due at once exactly once each, with each workspace's own token", async () => {
    const apps = [await startAppProcess({ ...env(), ROLE: "app" }), await startAppProcess({ ...env(), ROLE: "app" })];
    procs.push(...apps);
    // Installed through either app: the installations are shared through the database.
    await install(slack, apps[0]!.eventsUrl, GRANTS[0]!);
    await install(slack, apps[1]!.eventsUrl, GRANTS[1]!);
    await install(slack, apps[0]!.eventsUrl, GRANTS[2]!);

    // 333 subscribers per workspace, all with a slot two minutes ago (due while no worker ran).
    documents = await openPostgresDocuments(db.url, 8);
    for (const grant of GRANTS) {
      const { keys, tz } = await subscribersDueNow(documents.forWorkspace(grant.teamId), PER_WORKSPACE, `U${grant.teamId.slice(-2)}`, { dmChannels: true, concurrency: 50 });
      for (const key of keys) slack.users.set(key.id, { tz });
    }

    // Two workers take the daily deliveries (and grading); the apps run no scheduler.
    procs.push(...(await Promise.all([startWorkerProcess({ ...env(), WORKER_QUEUES: "deliver,grade,loop" }), startWorkerProcess({ ...env(), WORKER_QUEUES: "deliver,grade,loop" })])));
    const daily = () =>
      slack.calls.filter((c) => c.method === "chat.postMessage" && (c.args.metadata as { event_type?: string } | undefined)?.event_type === "interview_daily_question");
    const total = GRANTS.length * PER_WORKSPACE;
    await slack.waitFor(() => daily().length >= total, 240_000);
    // Long enough for a late duplicate (a lease taken over, a refresh) to show.
    await new Promise((r) => setTimeout(r, 3_000));

    const posts = daily();
    expect(posts).toHaveLength(total);
    const perChannel = new Map<string, number>();
    for (const post of posts) perChannel.set(String(post.args.channel), (perChannel.get(String(post.args.channel)) ?? 0) + 1);
    expect(perChannel.size).toBe(total);
    expect([...perChannel.values()].every((n) => n === 1)).toBe(true);
    for (const grant of GRANTS) {
      const mine = posts.filter((p) => String(p.args.channel).startsWith(`D${grant.teamId.slice(-2)}`));
      expect(mine).toHaveLength(PER_WORKSPACE);
      expect(new Set(mine.map((p) => p.token))).toEqual(new Set([grant.botToken]));
    }
    // The ledger agrees: every slot is settled as sent, once.
    for (const grant of GRANTS) {
      const store = new ScheduleStore(documents.forWorkspace(grant.teamId));
      const docs = await store.all();
      expect(docs).toHaveLength(PER_WORKSPACE);
      expect(docs.every((d) => d.data.ledger.length === 1 && d.data.ledger[0]!.state === "sent")).toBe(true);
    }
  }, 400_000);
});
