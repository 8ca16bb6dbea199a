/**
 * Prometheus metrics (prom-client) for one running app, served at GET /metrics. The registry belongs to
 * the app, not prom-client's global one, so several apps in one process (tests) count separately.
 * The engine reports through its Telemetry port; this file is the only one that knows prom-client.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { DeliveryOutcome, JobQueue, Telemetry } from "../engine/telemetry.js";

/** Buckets for one code run, in seconds: runs take ~0.1 s to a few seconds; a time limit ends them. */
const JUDGE_RUN_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32];

export interface AppMetrics {
  registry: Registry;
  /** Hand this to the engine: every event it reports lands in the counters below. */
  telemetry: Telemetry;
  /**
   * Reports a queue's depth (jobs waiting or in progress) at every scrape, as
   * `coach_job_queue_depth{queue}`. A second call for the same queue replaces the first.
   */
  watchQueueDepth(queue: JobQueue, depth: () => number): void;
  /** The text a Prometheus scrape gets, and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): AppMetrics {
  const registry = new Registry();
  // Process CPU, memory, event-loop lag, GC, handles: prom-client's standard set, prefixed like ours.
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: "coach_" });

  const answersGraded = new Counter({
    name: "coach_answers_graded_total",
    help: "Answers graded and stored, by who graded them (llm, or offline: no key or an LLM fallback) and round.",
    labelNames: ["grader", "round"] as const,
    registers: [registry],
  });
  const graderFallbacks = new Counter({
    name: "coach_grader_fallbacks_total",
    help: "Times the LLM critic failed and the offline rubric check answered instead, by reason.",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  const judgeRuns = new Histogram({
    name: "coach_judge_run_seconds",
    help: "Time of one code run in the sandbox (from taking a run slot to the verdict), by verdict and language.",
    labelNames: ["verdict", "language"] as const,
    buckets: JUDGE_RUN_BUCKETS,
    registers: [registry],
  });
  const deliveriesSent = new Counter({
    name: "coach_deliveries_sent_total",
    help: "Daily questions posted (or found posted after a restart) and recorded.",
    registers: [registry],
  });
  const deliveryRetries = new Counter({
    name: "coach_delivery_retries_total",
    help: "Daily delivery attempts that failed transiently and were tried again after a back-off.",
    registers: [registry],
  });
  const deliveryRateLimited = new Counter({
    name: "coach_delivery_rate_limited_total",
    help: "Daily delivery attempts Slack answered with 429; tried again after Retry-After.",
    registers: [registry],
  });
  const deliveriesSkipped = new Counter({
    name: "coach_deliveries_skipped_total",
    help: "Daily slots deliberately not sent (the day passed while the app was down, recipient gone, question removed).",
    registers: [registry],
  });
  const deliveriesFailed = new Counter({
    name: "coach_deliveries_failed_total",
    help: "Daily slots given up after the last attempt or an error that cannot succeed on retry.",
    registers: [registry],
  });
  const jobFailures = new Counter({
    name: "coach_job_failures_total",
    help: "Background job attempts that failed (they may be retried), by queue: grade, judge, deliver, loop.",
    labelNames: ["queue"] as const,
    registers: [registry],
  });
  const depthSources = new Map<JobQueue, () => number>();
  new Gauge({
    name: "coach_job_queue_depth",
    help: "Jobs waiting or in progress, by queue (judge: code runs waiting for or holding a sandbox slot).",
    labelNames: ["queue"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [queue, depth] of depthSources) this.set({ queue }, depth());
    },
  });

  const deliveryCounters: Record<DeliveryOutcome, Counter> = {
    sent: deliveriesSent,
    retried: deliveryRetries,
    "rate-limited": deliveryRateLimited,
    skipped: deliveriesSkipped,
    failed: deliveriesFailed,
  };
  // Pre-set the label values that exist from the start, so dashboards see 0 rather than no series.
  for (const queue of ["grade", "judge", "deliver", "loop"] as const) jobFailures.inc({ queue }, 0);

  const telemetry: Telemetry = {
    answerGraded: ({ grader, round }) => answersGraded.inc({ grader, round }),
    graderFallback: ({ reason }) => graderFallbacks.inc({ reason }),
    judgeRun: ({ verdict, language, seconds }) => judgeRuns.observe({ verdict, language }, seconds),
    deliveryOutcome: (outcome) => deliveryCounters[outcome].inc(),
    jobFailed: (queue) => jobFailures.inc({ queue }),
  };

  return {
    registry,
    telemetry,
    watchQueueDepth: (queue, depth) => void depthSources.set(queue, depth),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
