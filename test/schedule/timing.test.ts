import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/engine/schedule/clock.js";
import { latestSlot, nextSlot } from "../../src/engine/schedule/slots.js";
import { WEEKDAYS, EVERY_DAY } from "../../src/engine/schedule/weekdays.js";
import { FakeWorkspace } from "./support/fake-deliverer.js";
import { buildScheduler, tempDir } from "./support/fixtures.js";

const NY = "America/New_York";
const me = (id: string) => ({ userId: id });

describe("slots in an IANA zone", () => {
  it("keeps 9:00 local across the March and November DST changes in New York", () => {
    const daily9 = { time: { hour: 9, minute: 0 }, days: [...EVERY_DAY] };
    // EST is UTC-5, EDT is UTC-4: 9:00 local is 14:00Z before 9 March 2025 and 13:00Z after.
    expect(nextSlot(daily9, NY, new Date("2025-03-08T15:00:00Z"))!.at.toISOString()).toBe("2025-03-09T13:00:00.000Z");
    expect(nextSlot(daily9, NY, new Date("2025-03-07T15:00:00Z"))!.at.toISOString()).toBe("2025-03-08T14:00:00.000Z");
    expect(nextSlot(daily9, NY, new Date("2025-11-01T14:00:00Z"))!.at.toISOString()).toBe("2025-11-02T14:00:00.000Z");
  });

  it("runs a time inside the spring-forward gap once, just after the gap, and keeps its slot name", () => {
    const at0230 = { time: { hour: 2, minute: 30 }, days: [...EVERY_DAY] };
    const slot = nextSlot(at0230, NY, new Date("2025-03-09T05:00:00Z"))!;
    expect(slot.at.toISOString()).toBe("2025-03-09T07:00:00.000Z"); // 03:00 EDT
    expect(slot.key).toBe("2025-03-09T02:30");
  });

  it("runs a time that occurs twice in November only once", () => {
    const at0130 = { time: { hour: 1, minute: 30 }, days: [...EVERY_DAY] };
    const first = nextSlot(at0130, NY, new Date("2025-11-02T04:00:00Z"))!;
    const second = nextSlot(at0130, NY, first.at)!;
    expect(first.at.toISOString()).toBe("2025-11-02T05:30:00.000Z"); // 01:30 EDT, the first pass
    expect(second.key).toBe("2025-11-03T01:30");
  });

  it("finds the latest slot at or before an instant, honouring the weekdays", () => {
    const weekdays9 = { time: { hour: 9, minute: 0 }, days: [...WEEKDAYS] };
    // Sunday 9 March 2025, noon in New York: the latest weekday slot is Friday's.
    expect(latestSlot(weekdays9, NY, new Date("2025-03-09T16:00:00Z"))!.key).toBe("2025-03-07T09:00");
    expect(latestSlot(weekdays9, NY, new Date("2025-03-10T13:00:00Z"))!.key).toBe("2025-03-10T09:00");
  });
});

describe("DailyScheduler timing", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(async () => cleanup());

  it("fires at 9:00 New York time on each side of the March DST change", async () => {
    const clock = new ManualClock("2025-03-07T12:00:00Z"); // Friday 07:00 EST
    const workspace = new FakeWorkspace(clock);
    const zones = new Map([["U1", NY]]);
    const { scheduler } = buildScheduler({ dataDir: dir, clock, deliverer: workspace, zones });
    await scheduler.start();
    await scheduler.subscribe({ key: { kind: "user", id: "U1" }, actor: me("U1"), time: { hour: 9, minute: 0 }, days: EVERY_DAY, rounds: [] });

    await clock.advanceTo("2025-03-11T12:00:00Z");
    expect(workspace.messagesFor("U1").map((m) => [m.at.toISOString(), m.slot])).toEqual([
      ["2025-03-07T14:00:00.000Z", "2025-03-07T09:00"],
      ["2025-03-08T14:00:00.000Z", "2025-03-08T09:00"],
      ["2025-03-09T13:00:00.000Z", "2025-03-09T09:00"],
      ["2025-03-10T13:00:00.000Z", "2025-03-10T09:00"],
    ]);
    scheduler.stop();
  });

  it("fires at 9:00 New York time on each side of the November DST change, weekdays only", async () => {
    const clock = new ManualClock("2025-10-31T12:00:00Z"); // Friday
    const workspace = new FakeWorkspace(clock);
    const { scheduler } = buildScheduler({ dataDir: dir, clock, deliverer: workspace, zones: new Map([["U1", NY]]) });
    await scheduler.start();
    await scheduler.subscribe({ key: { kind: "user", id: "U1" }, actor: me("U1"), time: { hour: 9, minute: 0 }, days: WEEKDAYS, rounds: [] });
    await clock.advanceTo("2025-11-04T20:00:00Z");
    expect(workspace.messagesFor("U1").map((m) => m.at.toISOString())).toEqual([
      "2025-10-31T13:00:00.000Z", // Fri, EDT
      "2025-11-03T14:00:00.000Z", // Mon, EST
      "2025-11-04T14:00:00.000Z",
    ]);
    scheduler.stop();
  });

  it("follows a timezone change announced by the adapter", async () => {
    const clock = new ManualClock("2025-06-02T12:00:00Z"); // Monday 08:00 New York
    const workspace = new FakeWorkspace(clock);
    const zones = new Map([["U1", NY]]);
    const { scheduler } = buildScheduler({ dataDir: dir, clock, deliverer: workspace, zones });
    await scheduler.start();
    await scheduler.subscribe({ key: { kind: "user", id: "U1" }, actor: me("U1"), time: { hour: 9, minute: 0 }, days: EVERY_DAY, rounds: [] });
    await clock.advanceTo("2025-06-02T14:00:00Z"); // got Monday's at 13:00Z
    zones.set("U1", "Asia/Tokyo");
    await scheduler.timeZoneChanged("U1", "Asia/Tokyo");
    expect((await scheduler.view({ kind: "user", id: "U1" })).next!.at.toISOString()).toBe("2025-06-03T00:00:00.000Z");
    await clock.advanceTo("2025-06-04T12:00:00Z");
    expect(workspace.messagesFor("U1").map((m) => [m.at.toISOString(), m.slot])).toEqual([
      ["2025-06-02T13:00:00.000Z", "2025-06-02T09:00"],
      ["2025-06-03T00:00:00.000Z", "2025-06-03T09:00"], // 09:00 in Tokyo
      ["2025-06-04T00:00:00.000Z", "2025-06-04T09:00"],
    ]);
    scheduler.stop();
  });

  it("re-reads the zone when a slot comes due and waits for the new local time", async () => {
    const clock = new ManualClock("2025-06-02T12:00:00Z");
    const workspace = new FakeWorkspace(clock);
    const zones = new Map([["U1", NY]]);
    const { scheduler } = buildScheduler({ dataDir: dir, clock, deliverer: workspace, zones });
    await scheduler.start();
    await scheduler.subscribe({ key: { kind: "user", id: "U1" }, actor: me("U1"), time: { hour: 9, minute: 0 }, days: EVERY_DAY, rounds: [] });
    // Moved to Los Angeles; no profile event reached us.
    zones.set("U1", "America/Los_Angeles");
    await clock.advanceTo("2025-06-02T15:00:00Z");
    expect(workspace.messagesFor("U1")).toHaveLength(0); // 9:00 New York is 6:00 in Los Angeles: too early
    await clock.advanceTo("2025-06-02T18:00:00Z");
    expect(workspace.messagesFor("U1").map((m) => [m.at.toISOString(), m.slot])).toEqual([
      ["2025-06-02T16:00:00.000Z", "2025-06-02T09:00"],
    ]);
    scheduler.stop();
  });

  it("after a restart, sends a slot missed earlier the same local day and skips one from an earlier day", async () => {
    const clock = new ManualClock("2025-06-02T12:00:00Z");
    const workspace = new FakeWorkspace(clock);
    const zones = new Map([["U1", NY], ["U2", "Asia/Tokyo"]]);
    const first = buildScheduler({ dataDir: dir, clock, deliverer: workspace, zones });
    await first.scheduler.start();
    await first.scheduler.subscribe({ key: { kind: "user", id: "U1" }, actor: me("U1"), time: { hour: 9, minute: 0 }, days: EVERY_DAY, rounds: [] });
    await first.scheduler.subscribe({ key: { kind: "user", id: "U2" }, actor: me("U2"), time: { hour: 22, minute: 0 }, days: EVERY_DAY, rounds: [] });
    first.scheduler.stop(); // down from 12:00Z …

    // … until 16:00Z: 12:00 in New York (9:00 missed today), 01:00 next day in Tokyo (22:00 missed yesterday).
    await clock.advanceTo("2025-06-02T16:00:00Z");
    const second = buildScheduler({ dataDir: dir, clock, deliverer: workspace, zones });
    await second.scheduler.start();
    await second.scheduler.idle();
    expect(workspace.messagesFor("U1").map((m) => [m.at.toISOString(), m.slot])).toEqual([["2025-06-02T16:00:00.000Z", "2025-06-02T09:00"]]);
    expect(workspace.messagesFor("U2")).toHaveLength(0);
    expect(second.logger.lines.some((l) => l.includes("user:U2 missed 2025-06-02T22:00") && l.includes("skipped"))).toBe(true);

    await clock.advanceTo("2025-06-03T14:00:00Z");
    expect(workspace.messagesFor("U2").map((m) => m.slot)).toEqual(["2025-06-03T22:00"]);
    expect(workspace.messagesFor("U1").map((m) => m.slot)).toEqual(["2025-06-02T09:00", "2025-06-03T09:00"]);
    second.scheduler.stop();
  });

  it("does not send a slot that passed before the schedule was set", async () => {
    const clock = new ManualClock("2025-06-02T15:00:00Z"); // 11:00 New York
    const workspace = new FakeWorkspace(clock);
    const { scheduler } = buildScheduler({ dataDir: dir, clock, deliverer: workspace, zones: new Map([["U1", NY]]) });
    await scheduler.start();
    await scheduler.subscribe({ key: { kind: "user", id: "U1" }, actor: me("U1"), time: { hour: 9, minute: 0 }, days: EVERY_DAY, rounds: [] });
    await clock.advance(60_000);
    scheduler.stop();
    const restarted = buildScheduler({ dataDir: dir, clock, deliverer: workspace, zones: new Map([["U1", NY]]) });
    await restarted.scheduler.start();
    await clock.advanceTo("2025-06-03T12:00:00Z");
    expect(workspace.messagesFor("U1")).toHaveLength(0);
    await clock.advanceTo("2025-06-03T14:00:00Z");
    expect(workspace.messagesFor("U1").map((m) => m.slot)).toEqual(["2025-06-03T09:00"]);
    restarted.scheduler.stop();
  });

  it("pauses for n days, shows the next delivery after the pause, and resumes on request", async () => {
    const clock = new ManualClock("2025-06-02T14:00:00Z"); // Monday 10:00 New York
    const workspace = new FakeWorkspace(clock);
    const { scheduler } = buildScheduler({ dataDir: dir, clock, deliverer: workspace, zones: new Map([["U1", NY]]) });
    await scheduler.start();
    const key = { kind: "user" as const, id: "U1" };
    await scheduler.subscribe({ key, actor: me("U1"), time: { hour: 9, minute: 0 }, days: EVERY_DAY, rounds: [] });
    const paused = await scheduler.pause(key, me("U1"), 2);
    expect(paused.next!.key).toBe("2025-06-05T09:00"); // Tue and Wed skipped
    await clock.advanceTo("2025-06-05T12:00:00Z");
    expect(workspace.messagesFor("U1")).toHaveLength(0);
    await clock.advanceTo("2025-06-05T14:00:00Z");
    expect(workspace.messagesFor("U1").map((m) => m.slot)).toEqual(["2025-06-05T09:00"]);

    await scheduler.pause(key, me("U1"), 10);
    const resumed = await scheduler.resume(key, me("U1"));
    expect(resumed.next!.key).toBe("2025-06-06T09:00");
    scheduler.stop();
  });
});
