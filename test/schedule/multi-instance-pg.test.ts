import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ScheduleStore } from "../../src/engine/schedule/schedule-store.js";
import type { DocumentStore } from "../../src/engine/storage/documents.js";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../support/postgres.js";
import { openPostgresDocuments } from "../support/postgres-documents.js";
import { waitFor } from "./support/fixtures.js";
import { subscribersDueNow } from "./support/instances.js";
import { startLimitedSlack, type LimitedSlack } from "./support/limited-slack.js";

const CHILD = fileURLToPath(new URL("./support/pg-instance-child.ts", import.meta.url));
const SUBSCRIBERS = 300;
const LEASE_MS = 3_000;

function startChild(databaseUrl: string, apiUrl: string, id: string): { child: ChildProcess; output: () => string } {
  // tsx as a loader, not its CLI: the CLI runs the script in a grandchild that SIGKILL would miss.
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, databaseUrl, apiUrl, id, String(LEASE_MS)], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

describe.skipIf(!TEST_DATABASE_URL)("two scheduler processes on PostgreSQL, one killed with SIGKILL mid-fan-out", () => {
  let database: TestDatabase;
  let docs: DocumentStore;
  let slack: LimitedSlack;
  const children: ChildProcess[] = [];
  beforeEach(async () => {
    database = await createTestDatabase("sched");
    docs = await openPostgresDocuments(database.url, 4);
    slack = await startLimitedSlack({ postPerSecond: 200, openPerSecond: 1000, latencyMs: 5 });
  });
  afterEach(async () => {
    for (const c of children.splice(0)) c.kill("SIGKILL");
    await slack.close();
    await docs.close();
    await database.drop();
  });

  it("every slot is posted exactly once: the survivor takes the dead process's slots over and finds its last posts", async () => {
    await subscribersDueNow(docs, SUBSCRIBERS);
    const a = startChild(database.url, slack.apiUrl, "worker-a");
    const b = startChild(database.url, slack.apiUrl, "worker-b");
    children.push(a.child, b.child);
    await waitFor(() => slack.posts.length >= SUBSCRIBERS / 5, 30_000);
    a.child.kill("SIGKILL");
    await new Promise((resolve) => a.child.once("exit", resolve));
    const store = new ScheduleStore(docs);
    const left = (await store.snapshot()).flatMap((d) => d.ledger).filter((e) => e.owner === "worker-a" && (e.state === "sending" || e.state === "posted"));

    const allSent = async () => (await store.snapshot()).every((d) => d.ledger.length === 1 && d.ledger[0]!.state === "sent");
    const deadline = Date.now() + 60_000;
    while (!(await allSent())) {
      if (Date.now() > deadline) throw new Error(`not all delivered in time; worker-b said: ${b.output()}`);
      await new Promise((r) => setTimeout(r, 250));
    }

    const perChannel = new Map<string, number>();
    for (const p of slack.posts) perChannel.set(p.channel, (perChannel.get(p.channel) ?? 0) + 1);
    expect(perChannel.size).toBe(SUBSCRIBERS);
    expect([...perChannel.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    const ledger = (await store.snapshot()).flatMap((d) => d.ledger);
    expect(new Set(ledger.map((e) => e.owner))).toEqual(new Set(["worker-a", "worker-b"]));
    // What worker-a left unfinished was finished by worker-b, with worker-a's token (looked up, then posted or found).
    for (const e of left) expect(ledger.find((x) => x.slot === e.slot && x.token === e.token)?.owner).toBe("worker-b");
    if (left.length > 0) expect(slack.counts.history).toBeGreaterThan(0);
  }, 120_000);
});
