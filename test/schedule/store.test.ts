import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/engine/schedule/clock.js";
import { StoreCorruptError } from "../../src/engine/store/errors.js";
import { FakeWorkspace } from "./support/fake-deliverer.js";
import { buildScheduler, tempDir } from "./support/fixtures.js";

describe("schedule files", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(async () => cleanup());

  it("a corrupt schedule file stops start-up with its name instead of dropping anyone's schedule", async () => {
    await mkdir(join(dir, "schedule/users"), { recursive: true });
    await writeFile(join(dir, "schedule/users/U1.json"), '{"version":1,"kind":"user","id":"U1","subscription":{"time":', "utf8");
    const clock = new ManualClock("2025-06-02T12:00:00Z");
    const { scheduler } = buildScheduler({ dataDir: dir, clock, deliverer: new FakeWorkspace(clock), zones: new Map() });
    const error = await scheduler.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect((error as StoreCorruptError).file).toContain(join("schedule", "users", "U1.json"));
  });

  it("focus requests from other features are kept per person and validated against the rounds", async () => {
    const clock = new ManualClock("2025-06-02T12:00:00Z");
    const { scheduler, store } = buildScheduler({ dataDir: dir, clock, deliverer: new FakeWorkspace(clock), zones: new Map() });
    await scheduler.addFocus("U1", [{ roundId: "al", dimensionId: "alpha-dim-1" }, { roundId: "nope" }, { roundId: "beta", dimensionId: "not-a-dim" }], "loop-debrief");
    const doc = await store.peek({ kind: "user", id: "U1" });
    expect(doc?.focus.map((f) => [f.roundId, f.dimensionId, f.source])).toEqual([["alpha", "alpha-dim-1", "loop-debrief"]]);
  });
});
