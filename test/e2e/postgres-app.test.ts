import { existsSync, readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { eventBody, postSigned, slashCommandBody } from "../support/signed.js";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../support/postgres.js";

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";
const ANSWER =
  "I would frame it as learning to rank: retrieve candidates with BM25 plus embeddings, then rank with LambdaMART. " +
  "Metric: add-to-cart rate per search online, NDCG@10 offline; an A/B test on conversion while watching p99 latency.";

describe.skipIf(!TEST_DATABASE_URL)("the Slack app with DATABASE_URL (real HTTP app, fake Slack, real PostgreSQL)", () => {
  let db: TestDatabase;
  let slack: FakeSlack;
  let sql: pg.Client;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    db = await createTestDatabase("e2e");
    slack = await startFakeSlack();
    sql = new pg.Client({ connectionString: db.url });
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await sql?.end().catch(() => undefined);
    await slack?.close();
    await db?.drop();
  });
  const start = async () => {
    const app = await startTestApp({ slack, env: { DATABASE_URL: db.url } });
    apps.push(app);
    return app;
  };

  it("grades a signed thread reply into a PostgreSQL row; a restarted app sees it and does not grade a redelivery again", async () => {
    const app = await start();
    await postSigned(app.eventsUrl, slashCommandBody({ text: "ask mlsd", userId: "U111", channelId: "D111", responseUrl: slack.responseUrl() }), FORM);
    await slack.waitFor((calls) => calls.some((c) => c.method === "chat.postMessage"));
    const question = slack.callsTo("chat.postMessage")[0]!;
    const threadTs = String(question.response?.ts);
    for (let i = 0; i < 100 && !(await app.running.engine.interview.thread({ channel: "D111", ts: threadTs })); i++) await new Promise((r) => setTimeout(r, 20));

    const reply = { type: "message", channel: "D111", channel_type: "im", user: "U111", text: ANSWER, ts: "1800000000.000200", thread_ts: threadTs };
    expect((await postSigned(app.eventsUrl, eventBody(reply), JSON_TYPE)).status).toBe(200);
    await slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && c.args.thread_ts === threadTs));
    const critique = slack.callsTo("chat.postMessage").find((c) => c.args.thread_ts === threadTs)!;
    expect(JSON.stringify(critique.args.blocks)).toContain("Offline rubric check");

    // The answer is a row in PostgreSQL, and nothing was written under DATA_DIR.
    await sql.connect();
    const row = await sql.query<{ data: { answers: { text?: string; answer?: string }[] } }>("SELECT data FROM documents WHERE workspace = '' AND path = 'users/U111.json'");
    expect(row.rowCount).toBe(1);
    expect(row.rows[0]!.data.answers).toHaveLength(1);
    expect(JSON.stringify(row.rows[0]!.data.answers[0])).toContain("add-to-cart rate");
    const thread = await sql.query("SELECT 1 FROM documents WHERE path = $1", [`threads/D111/${threadTs}.json`]);
    expect(thread.rowCount).toBe(1);
    // The reply was accepted and, once answered, recorded as handled.
    for (let i = 0; i < 100; i++) {
      const handled = await sql.query("SELECT handled_at FROM inbox WHERE id = $1 AND handled_at IS NOT NULL", ["D111-1800000000.000200"]);
      if (handled.rowCount === 1) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await sql.query("SELECT entry FROM inbox WHERE id = $1 AND handled_at IS NOT NULL", ["D111-1800000000.000200"])).rowCount).toBe(1);
    expect(existsSync(app.dataDir) ? readdirSync(app.dataDir, { recursive: true }).filter((f) => String(f).endsWith(".json") || String(f).endsWith(".jsonl")) : []).toEqual([]);
    await app.stopApp();

    // A new process (its own, empty DATA_DIR) on the same database.
    const again = await start();
    expect((await again.running.engine.store.peekUser("U111"))?.answers).toHaveLength(1);
    const before = slack.callsTo("chat.postMessage").filter((c) => c.args.thread_ts === threadTs).length;
    expect((await postSigned(again.eventsUrl, eventBody(reply), JSON_TYPE)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 800));
    expect(slack.callsTo("chat.postMessage").filter((c) => c.args.thread_ts === threadTs)).toHaveLength(before);
    expect((await again.running.engine.store.peekUser("U111"))?.answers).toHaveLength(1);
    const probes = await Promise.all(again.running.engine.readiness.map(async (p) => [p.name, (await p.check()).ok]));
    expect(probes).toEqual([["database", true], ["migrations", true]]);
  });

  it("a document in the database that is not what its path requires stops start-up, naming it; nothing is reset", async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query("INSERT INTO documents (workspace, path, data) VALUES ('', 'users/UBAD.json', '{\"version\": \"nope\"}')");
      await expect(start()).rejects.toThrow(/users\/UBAD\.json.*corrupt/);
      const row = await client.query("SELECT data FROM documents WHERE path = 'users/UBAD.json'");
      expect(row.rows[0].data).toEqual({ version: "nope" });
      await client.query("DELETE FROM documents WHERE path = 'users/UBAD.json'");
    } finally {
      await client.end();
    }
  });
});
