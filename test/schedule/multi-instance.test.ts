import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock, settle } from "../../src/engine/schedule/clock.js";
import { ScheduleStore } from "../../src/engine/schedule/schedule-store.js";
import { EVERY_DAY } from "../../src/engine/schedule/weekdays.js";
import { JsonDocs } from "../../src/infra/embedded/json-docs.js";
import { FakeWorkspace } from "./support/fake-deliverer.js";
import { buildScheduler, makeBank, tempDir, waitFor } from "./support/fixtures.js";
import { startInstance, subscribersDueNow, type Instance } from "./support/instances.js";
import { startLimitedSlack, type LimitedSlack } from "./support/limited-slack.js";

/** Every subscriber's ledger, read from the shared store. */
async function ledgers(docs: JsonDocs) {
  return (await new ScheduleStore(docs).snapshot()).map((d) => ({ id: d.id, ledger: d.ledger }));
}

function postsPerChannel(slack: LimitedSlack): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of slack.posts) counts.set(p.channel, (counts.get(p.channel) ?? 0) + 1);
  return counts;
}

describe("several scheduler instances over one store", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let slack: LimitedSlack | undefined;
  const instances: Instance[] = [];
  beforeEach(async () => ({ dir, cleanup } = await tempDir({ memory: true })));
  afterEach(async () => {
    for (const i of instances.splice(0)) {
      i.scheduler.stop();
      i.kill();
    }
    await slack?.close();
    slack = undefined;
    await cleanup();
  });

  it("1,000 subscribers due at once are each posted exactly once by two instances against a rate-limiting Slack", async () => {
    const docs = new JsonDocs(dir);
    const bank = makeBank();
    const { keys } = await subscribersDueNow(docs, 1_000);
    // The workspace allows 100 posts a second (10 per 100 ms); each instance alone tries more: 429s must be
    // honoured. Retry-After (1 s) is waited out ten times faster so the test stays short.
    slack = await startLimitedSlack({ postPerSecond: 100, openPerSecond: 1_000, latencyMs: 2 });
    const pacing = { ratePerSecond: 300, burst: 30, concurrency: 8 };
    for (const id of ["app-1", "app-2"]) {
      instances.push(startInstance({ id, docs, bank, apiUrl: slack.apiUrl, retryAfterScale: 10, options: { pacing } }));
    }
    await Promise.all(instances.map((i) => i.scheduler.start()));

    await waitFor(() => postsPerChannel(slack!).size >= keys.length, 90_000);
    await Promise.all(instances.map((i) => i.scheduler.idle()));
    await waitFor(() => instances.every((i) => i.scheduler.stats.queued === 0), 30_000);

    const perChannel = postsPerChannel(slack);
    expect(perChannel.size).toBe(1_000);
    expect([...perChannel.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(slack.counts.rateLimited).toBeGreaterThan(0);
    const all = await ledgers(docs);
    expect(all.every((d) => d.ledger.length === 1 && d.ledger[0]!.state === "sent")).toBe(true);
    // Both instances did part of the fan-out: the claim shared it, it did not just leave it to one.
    const owners = new Set(all.map((d) => d.ledger[0]!.owner));
    expect(owners).toEqual(new Set(["app-1", "app-2"]));
    // The token each post carries is the one its ledger entry holds: nobody posted with a stale claim.
    const tokens = new Set(all.map((d) => d.ledger[0]!.token));
    expect(slack.posts.every((p) => tokens.has(p.token!))).toBe(true);
  }, 150_000);

  it("an instance killed mid-fan-out: the other finishes its slots once the leases run out, and finds the post made just before the kill", async () => {
    const docs = new JsonDocs(dir);
    const bank = makeBank();
    const { keys } = await subscribersDueNow(docs, 300);
    slack = await startLimitedSlack({ postPerSecond: 200, openPerSecond: 1_000, latencyMs: 2 });
    const options = { pacing: { ratePerSecond: 100, burst: 10, concurrency: 6 }, leaseMs: 3_000, refreshMs: 1_000 };
    const [a, b] = ["worker-a", "worker-b"].map((id) => startInstance({ id, docs, bank, apiUrl: slack!.apiUrl, options }));
    instances.push(a!, b!);
    const killPost = 40;
    a!.kill(killPost);
    await Promise.all([a!.scheduler.start(), b!.scheduler.start()]);
    await waitFor(() => a!.killed, 30_000);
    a!.scheduler.stop();
    const killedAt = Date.now();

    // What the kill left: slots "sending" under worker-a's lease, one of them already in the DM.
    const left = (await ledgers(docs)).flatMap((d) => d.ledger.map((e) => ({ ...e, id: d.id }))).filter((e) => e.owner === "worker-a" && e.state === "sending");
    expect(left.length).toBeGreaterThan(0);
    const postedBeforeKill = slack.posts.filter((p) => left.some((e) => e.token === p.token));
    expect(postedBeforeKill.length).toBeGreaterThan(0);

    await waitFor(() => postsPerChannel(slack!).size >= keys.length, 60_000);
    await waitFor(() => b!.scheduler.stats.queued === 0, 30_000);
    const tookMs = Date.now() - killedAt;

    const perChannel = postsPerChannel(slack);
    expect(perChannel.size).toBe(300);
    expect([...perChannel.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    const all = await ledgers(docs);
    expect(all.every((d) => d.ledger.length === 1 && d.ledger[0]!.state === "sent")).toBe(true);
    // The slots worker-a held were taken over by worker-b; the post already made was found by its token, not repeated.
    for (const e of left) {
      const now = all.find((d) => d.id === e.id)!.ledger[0]!;
      expect(now.owner).toBe("worker-b");
      expect(now.token).toBe(e.token);
    }
    for (const p of postedBeforeKill) {
      const entry = all.flatMap((d) => d.ledger).find((e) => e.token === p.token)!;
      expect({ channel: entry.channel, ts: entry.ts }).toEqual({ channel: p.channel, ts: p.ts });
    }
    expect(slack.counts.history).toBeGreaterThan(0);
    expect(tookMs).toBeLessThan(60_000);
  }, 150_000);
});

describe("a schedule changed on one instance", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(async () => cleanup());

  it("is delivered, paused and removed by the other instance too", async () => {
    const clock = new ManualClock("2025-06-02T12:00:00Z"); // 08:00 in New York
    const zones = new Map([
      ["U1", "America/New_York"],
      ["U2", "America/New_York"],
    ]);
    const docs = new JsonDocs(dir);
    const workspace = new FakeWorkspace(clock);
    const multi = { multiInstance: true, refreshMs: 30_000, leaseMs: 30_000 };
    const a = buildScheduler({ dataDir: dir, docs, clock, deliverer: workspace, zones, options: { ...multi, instanceId: "a" } });
    const b = buildScheduler({ dataDir: dir, docs, clock, deliverer: workspace, zones, options: { ...multi, instanceId: "b" } });
    clock.quiesce = async () => {
      await a.scheduler.idle();
      await b.scheduler.idle();
    };
    await a.scheduler.start();
    await b.scheduler.start();

    const at9 = { time: { hour: 9, minute: 0 }, days: EVERY_DAY, rounds: [] };
    // Both set up on instance b, which then goes away: instance a must know of them without a restart.
    await b.scheduler.subscribe({ key: { kind: "user", id: "U1" }, actor: { userId: "U1" }, ...at9 });
    await b.scheduler.subscribe({ key: { kind: "user", id: "U2" }, actor: { userId: "U2" }, ...at9 });
    b.scheduler.stop();
    await clock.advanceTo("2025-06-02T13:01:00Z");
    expect(workspace.messagesFor("U1").map((m) => m.slot)).toEqual(["2025-06-02T09:00"]);
    expect(workspace.messagesFor("U2").map((m) => m.slot)).toEqual(["2025-06-02T09:00"]);

    // A second instance comes back; U1 pauses and U2 leaves through it, and instance a honours both.
    const c = buildScheduler({ dataDir: dir, docs, clock, deliverer: workspace, zones, options: { ...multi, instanceId: "c" } });
    clock.quiesce = async () => {
      await a.scheduler.idle();
      await c.scheduler.idle();
    };
    await c.scheduler.start();
    await c.scheduler.pause({ kind: "user", id: "U1" }, { userId: "U1" }, 1);
    await c.scheduler.unsubscribe({ kind: "user", id: "U2" }, { userId: "U2" });
    c.scheduler.stop();
    await clock.advanceTo("2025-06-03T13:01:00Z");
    expect(workspace.messagesFor("U1")).toHaveLength(1);
    expect(workspace.messagesFor("U2")).toHaveLength(1);
    // Resumed on a; delivered the day after, once.
    await a.scheduler.resume({ kind: "user", id: "U1" }, { userId: "U1" });
    await clock.advanceTo("2025-06-04T13:01:00Z");
    expect(workspace.messagesFor("U1").map((m) => m.slot)).toEqual(["2025-06-02T09:00", "2025-06-04T09:00"]);
    a.scheduler.stop();
    await settle();
  });
});
