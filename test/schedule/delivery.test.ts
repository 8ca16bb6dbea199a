import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock, settle } from "../../src/engine/schedule/clock.js";
import { EVERY_DAY } from "../../src/engine/schedule/weekdays.js";
import { FakeWorkspace } from "./support/fake-deliverer.js";
import { buildScheduler, tempDir, waitFor, type Harness } from "./support/fixtures.js";

const NY = "America/New_York";
async function subscribeAll(scheduler: Harness["scheduler"], ids: string[]) {
  for (const id of ids) {
    await scheduler.subscribe({ key: { kind: "user", id }, actor: { userId: id }, time: { hour: 9, minute: 0 }, days: EVERY_DAY, rounds: [] });
  }
}

const users = (n: number) => Array.from({ length: n }, (_, i) => `U${String(i).padStart(4, "0")}`);

describe("exactly-once delivery", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(async () => cleanup());

  it("a crash in the middle of a fan-out neither duplicates nor misses after restart", async () => {
    const clock = new ManualClock("2025-06-02T12:00:00Z");
    const ids = users(40);
    const zones = new Map(ids.map((id) => [id, NY]));
    const workspace = new FakeWorkspace(clock);
    const before = buildScheduler({
      dataDir: dir,
      clock,
      deliverer: workspace,
      zones,
      options: { pacing: { ratePerSecond: 50, burst: 50, concurrency: 6 } },
    });
    await before.scheduler.start();
    await subscribeAll(before.scheduler, ids);

    // The 15th post reaches Slack and then the process dies: that post's reply and the posts already
    // in flight (reserved in the ledger, perhaps sent) are never acknowledged.
    workspace.crashAfter(15);
    clock.quiesce = () => settle(); // the crashed scheduler never becomes idle again
    await clock.advanceTo("2025-06-02T13:00:00Z");
    await waitFor(() => workspace.hasCrashed);
    before.scheduler.stop();
    await settle();
    expect(workspace.messages.length).toBe(15);

    const restartedWorkspace = workspace.restarted();
    await clock.advance(5 * 60_000); // back up five minutes later, still 09:05 in New York
    const after = buildScheduler({ dataDir: dir, clock, deliverer: restartedWorkspace, zones });
    await after.scheduler.start();
    await clock.advance(60_000); // paced at the default 5/s: 40 deliveries need ~8 s
    expect(after.scheduler.stats.queued).toBe(0);

    for (const id of ids) expect(restartedWorkspace.messagesFor(id).map((m) => m.slot)).toEqual(["2025-06-02T09:00"]);
    // Every delivered question's thread is known, so replies to it will be graded.
    for (const m of restartedWorkspace.messages) {
      const thread = await after.interview.thread({ channel: m.channel, ts: m.ts });
      expect(thread?.questionId).toBe(m.questionId);
    }
    // The message found after the crash is the one recorded, not a second post.
    const crashed = workspace.messages[14]!;
    expect(restartedWorkspace.messages.filter((m) => m.recipient === crashed.recipient)).toEqual([crashed]);

    await clock.advanceTo("2025-06-03T13:30:00Z");
    for (const id of ids) expect(restartedWorkspace.messagesFor(id).map((m) => m.slot)).toEqual(["2025-06-02T09:00", "2025-06-03T09:00"]);
    after.scheduler.stop();
  });

  it.each([
    ["before the post reached Slack", false],
    ["after the post reached Slack", true],
  ])("a delivery cut short %s and found on the next local day is neither re-sent nor lost", async (_, reached) => {
    const clock = new ManualClock("2025-06-02T12:00:00Z");
    const zones = new Map([["U1", NY]]);
    const workspace = new FakeWorkspace(clock);
    const before = buildScheduler({ dataDir: dir, clock, deliverer: workspace, zones });
    await before.scheduler.start();
    await subscribeAll(before.scheduler, ["U1"]);
    if (reached) workspace.crashAfter(1);
    else workspace.crashBeforeNextPost();
    clock.quiesce = () => settle();
    await clock.advanceTo("2025-06-02T13:00:00Z");
    await waitFor(() => workspace.hasCrashed);
    before.scheduler.stop();
    await settle();

    await clock.advanceTo("2025-06-03T05:00:00Z"); // back at 01:00 the next day in New York
    const next = workspace.restarted();
    const after = buildScheduler({ dataDir: dir, clock, deliverer: next, zones });
    await after.scheduler.start();
    await after.scheduler.drained();
    const monday = next.messagesFor("U1").filter((m) => m.slot === "2025-06-02T09:00");
    expect(monday).toHaveLength(reached ? 1 : 0);
    if (reached) expect(await after.interview.thread({ channel: monday[0]!.channel, ts: monday[0]!.ts })).toBeDefined();
    expect(next.attempts).toHaveLength(0); // nothing was posted on start
    await clock.advanceTo("2025-06-03T14:00:00Z");
    expect(next.messagesFor("U1").filter((m) => m.slot === "2025-06-03T09:00")).toHaveLength(1);
    after.scheduler.stop();
  });

  it("restarting over and over within the slot's minute delivers once", async () => {
    const clock = new ManualClock("2025-06-02T12:59:00Z");
    const zones = new Map([["U1", NY]]);
    let workspace = new FakeWorkspace(clock);
    const first = buildScheduler({ dataDir: dir, clock, deliverer: workspace, zones });
    await first.scheduler.start();
    await subscribeAll(first.scheduler, ["U1"]);
    first.scheduler.stop();
    for (let i = 0; i < 5; i++) {
      await clock.advance(15_000);
      workspace = workspace.restarted();
      const h = buildScheduler({ dataDir: dir, clock, deliverer: workspace, zones });
      await h.scheduler.start();
      await h.scheduler.drained();
      h.scheduler.stop();
    }
    expect(workspace.messagesFor("U1").map((m) => m.slot)).toEqual(["2025-06-02T09:00"]);
  });

  it("a lost reply to a post that did go out is resolved by looking, not by posting again", async () => {
    const clock = new ManualClock("2025-06-02T12:00:00Z");
    const workspace = new FakeWorkspace(clock);
    const { scheduler } = buildScheduler({ dataDir: dir, clock, deliverer: workspace, zones: new Map([["U1", NY]]) });
    await scheduler.start();
    await subscribeAll(scheduler, ["U1"]);
    workspace.failFor("U1", { kind: "fail", code: "request_timeout", retryable: true, afterPosting: true });
    await clock.advanceTo("2025-06-02T13:10:00Z");
    expect(workspace.messagesFor("U1")).toHaveLength(1);
    expect(workspace.attempts.filter((a) => a.recipient === "U1")).toHaveLength(1);
    scheduler.stop();
  });
});

describe("rate limits and unreachable people", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(async () => cleanup());

  it("retries a 429 only after Retry-After, without holding up other channels", async () => {
    const clock = new ManualClock("2025-06-02T12:00:00Z");
    const workspace = new FakeWorkspace(clock);
    const zones = new Map(["U1", "U2", "U3"].map((id) => [id, NY]));
    const { scheduler } = buildScheduler({ dataDir: dir, clock, deliverer: workspace, zones });
    await scheduler.start();
    for (const id of zones.keys()) {
      await scheduler.subscribe({ key: { kind: "user", id }, actor: { userId: id }, time: { hour: 9, minute: 0 }, days: EVERY_DAY, rounds: [] });
    }
    workspace.failFor("U1", { kind: "rate-limit", retryAfterMs: 30_000, scope: "channel" });
    await clock.advanceTo("2025-06-02T13:00:29Z");
    expect(workspace.messagesFor("U1")).toHaveLength(0);
    expect(workspace.messagesFor("U2")).toHaveLength(1);
    expect(workspace.messagesFor("U3")).toHaveLength(1);
    const firstTry = workspace.attempts.find((a) => a.recipient === "U1")!.at.getTime();
    await clock.advanceTo("2025-06-02T13:01:00Z");
    const tries = workspace.attempts.filter((a) => a.recipient === "U1").map((a) => a.at.getTime() - firstTry);
    expect(tries).toHaveLength(2);
    expect(tries[1]).toBeGreaterThanOrEqual(30_000);
    expect(workspace.messagesFor("U1")).toHaveLength(1);
    scheduler.stop();
  });

  it("a method-wide 429 pauses every delivery for exactly Retry-After, then all go out once", async () => {
    const clock = new ManualClock("2025-06-02T12:00:00Z");
    const workspace = new FakeWorkspace(clock);
    const ids = users(10);
    const zones = new Map(ids.map((id) => [id, NY]));
    const { scheduler } = buildScheduler({
      dataDir: dir,
      clock,
      deliverer: workspace,
      zones,
      options: { pacing: { ratePerSecond: 100, burst: 100, concurrency: 1 } },
    });
    await scheduler.start();
    await subscribeAll(scheduler, ids);
    workspace.failFor(ids[0]!, { kind: "rate-limit", retryAfterMs: 20_000, scope: "method" });
    await clock.advanceTo("2025-06-02T13:00:19Z");
    expect(workspace.messages).toHaveLength(0);
    await clock.advanceTo("2025-06-02T13:01:00Z");
    expect(workspace.messages.map((m) => m.recipient).sort()).toEqual(ids);
    const slotAt = new Date("2025-06-02T13:00:00Z").getTime();
    expect(Math.min(...workspace.messages.map((m) => m.at.getTime() - slotAt))).toBeGreaterThanOrEqual(20_000);
    scheduler.stop();
  });

  it("spreads a fan-out at the configured rate instead of bursting it", async () => {
    const clock = new ManualClock("2025-06-02T12:00:00Z");
    const workspace = new FakeWorkspace(clock);
    const ids = users(30);
    const { scheduler } = buildScheduler({
      dataDir: dir,
      clock,
      deliverer: workspace,
      zones: new Map(ids.map((id) => [id, NY])),
      options: { pacing: { ratePerSecond: 5, burst: 5, concurrency: 4 } },
    });
    await scheduler.start();
    await subscribeAll(scheduler, ids);
    await clock.advanceTo("2025-06-02T13:01:00Z");
    const offsets = workspace.messages.map((m) => m.at.getTime() - Date.parse("2025-06-02T13:00:00Z"));
    expect(offsets).toHaveLength(30);
    // 5 at once, then one every 200 ms: the last of 30 leaves after (30 − 5) / 5 = 5 s.
    expect(offsets.filter((o) => o === 0)).toHaveLength(5);
    expect(Math.max(...offsets)).toBeGreaterThanOrEqual(5_000);
    for (let second = 1; second <= 5; second++) {
      expect(offsets.filter((o) => o > (second - 1) * 1000 && o <= second * 1000).length).toBeLessThanOrEqual(5);
    }
    scheduler.stop();
  });

  it("pauses the schedule of someone who left, with a log line, and skips them from then on", async () => {
    const clock = new ManualClock("2025-06-02T12:00:00Z");
    const workspace = new FakeWorkspace(clock);
    const zones = new Map([["U1", NY], ["U2", NY]]);
    const { scheduler, logger } = buildScheduler({ dataDir: dir, clock, deliverer: workspace, zones });
    await scheduler.start();
    for (const id of ["U1", "U2"]) {
      await scheduler.subscribe({ key: { kind: "user", id }, actor: { userId: id }, time: { hour: 9, minute: 0 }, days: EVERY_DAY, rounds: [] });
    }
    workspace.failFor("U1", { kind: "gone", code: "account_inactive" });
    await clock.advanceTo("2025-06-04T14:00:00Z");
    expect(workspace.attempts.filter((a) => a.recipient === "U1")).toHaveLength(1);
    expect(workspace.messagesFor("U2")).toHaveLength(3);
    expect(logger.lines.some((l) => l.startsWith("warn") && l.includes("user:U1") && l.includes("account_inactive"))).toBe(true);
    const view = await scheduler.view({ kind: "user", id: "U1" });
    expect(view.subscription?.suspended?.code).toBe("account_inactive");
    expect(view.next).toBeUndefined();

    // Setting the schedule again brings them back.
    await scheduler.subscribe({ key: { kind: "user", id: "U1" }, actor: { userId: "U1" }, time: { hour: 9, minute: 0 }, days: EVERY_DAY, rounds: [] });
    await clock.advanceTo("2025-06-05T14:00:00Z");
    expect(workspace.messagesFor("U1").map((m) => m.slot)).toEqual(["2025-06-05T09:00"]);
    scheduler.stop();
  });
});
