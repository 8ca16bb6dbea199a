/**
 * The engine's telemetry reaches the app's Prometheus registry: daily delivery outcomes from the real
 * scheduler (fake clock, the workspace faked at the Deliverer interface, as in test/schedule).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/engine/schedule/clock.js";
import { EVERY_DAY } from "../../src/engine/schedule/weekdays.js";
import { createMetrics } from "../../src/ops/metrics.js";
import { ForwardingTelemetry } from "../../src/ops/forwarding-telemetry.js";
import { FakeWorkspace } from "../schedule/support/fake-deliverer.js";
import { buildScheduler, tempDir } from "../schedule/support/fixtures.js";
import { sampleSum } from "../support/prometheus.js";

const NY = "America/New_York";

describe("daily delivery metrics", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(async () => cleanup());

  it("count sent, rate-limited, retried, skipped and failed deliveries, and failed delivery jobs", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const clock = new ManualClock("2025-06-02T12:00:00Z");
    const workspace = new FakeWorkspace(clock);
    const ids = ["U1", "U2", "U3", "U4", "U5"];
    const { scheduler } = buildScheduler({
      dataDir: dir,
      clock,
      deliverer: workspace,
      zones: new Map(ids.map((id) => [id, NY])),
      options: { telemetry: metrics.telemetry, maxAttempts: 2 },
    });
    metrics.watchQueueDepth("deliver", () => scheduler.stats.queued);
    await scheduler.start();
    for (const id of ids) await scheduler.subscribe({ key: { kind: "user", id }, actor: { userId: id }, time: { hour: 9, minute: 0 }, days: EVERY_DAY, rounds: [] });
    workspace.failFor("U1", { kind: "rate-limit", retryAfterMs: 30_000, scope: "channel" });
    workspace.failFor("U2", { kind: "fail", code: "internal_error", retryable: true });
    workspace.failFor("U3", { kind: "gone", code: "account_inactive" });
    workspace.failFor("U4", { kind: "fail", code: "internal_error", retryable: true }, { kind: "fail", code: "internal_error", retryable: true });

    await clock.advanceTo("2025-06-02T13:00:01Z");
    const during = (await metrics.render()).body;
    expect(sampleSum(during, "coach_job_queue_depth", { queue: "deliver" })).toBeGreaterThan(0);
    await clock.advanceTo("2025-06-02T13:05:00Z");
    const text = (await metrics.render()).body;
    // U1 after its Retry-After, U2 after one retry, U5 at once.
    expect(workspace.messagesFor("U1")).toHaveLength(1);
    expect(sampleSum(text, "coach_deliveries_sent_total")).toBe(3);
    expect(sampleSum(text, "coach_delivery_rate_limited_total")).toBe(1);
    // U2's retry; U4 failed twice, which is its last attempt (no third try).
    expect(sampleSum(text, "coach_delivery_retries_total")).toBe(2);
    expect(sampleSum(text, "coach_deliveries_skipped_total")).toBe(1);
    expect(sampleSum(text, "coach_deliveries_failed_total")).toBe(1);
    expect(sampleSum(text, "coach_job_failures_total", { queue: "deliver" })).toBe(3);
    expect(sampleSum(text, "coach_job_queue_depth", { queue: "deliver" })).toBe(0);
    scheduler.stop();
  });
});

describe("telemetry reported while prom-client is still loading", () => {
  it("is held and counted once the metrics are attached", async () => {
    const early = new ForwardingTelemetry();
    early.answerGraded({ grader: "offline", round: "coding" });
    early.jobFailed("grade");
    const metrics = createMetrics({ defaultMetrics: false });
    early.attach(metrics.telemetry);
    early.answerGraded({ grader: "llm", round: "coding" });
    const text = (await metrics.render()).body;
    expect(sampleSum(text, "coach_answers_graded_total", { round: "coding" })).toBe(2);
    expect(sampleSum(text, "coach_answers_graded_total", { grader: "offline" })).toBe(1);
    expect(sampleSum(text, "coach_job_failures_total", { queue: "grade" })).toBe(1);
  });
});
