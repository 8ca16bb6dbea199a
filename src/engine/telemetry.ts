/**
 * What the engine reports about its work, for whoever measures it (the app counts it in Prometheus
 * metrics, src/ops/metrics.ts). A port, so the engine imports no metrics library; every method is
 * fire-and-forget and must not throw. `noTelemetry` is the default everywhere, so tests, the console
 * and the CLI need nothing.
 */

/** The named queues of background work (the same names WORKER_QUEUES uses). */
export type JobQueue = "grade" | "judge" | "deliver" | "loop";

/** How one daily delivery attempt ended, as the scheduler decided it. */
export type DeliveryOutcome =
  /** Posted (or found posted after a crash) and recorded. */
  | "sent"
  /** A transient failure: tried again after a back-off. */
  | "retried"
  /** Slack answered 429: tried again after Retry-After. */
  | "rate-limited"
  /** Not sent on purpose: the slot passed while the app was down, the recipient is gone, the question vanished. */
  | "skipped"
  /** Given up after the last attempt, or a failure that cannot succeed on retry. */
  | "failed";

export interface Telemetry {
  /** An answer was graded and stored (not a redelivery of one graded before). `grader` is who actually graded it. */
  answerGraded(event: { grader: "llm" | "offline"; round: string }): void;
  /** The LLM critic failed and the offline check answered instead; `reason` is a short fixed kind (timeout, rate-limited…). */
  graderFallback(event: { reason: string }): void;
  /** One code run finished in the sandbox (time from taking a run slot to the verdict; waiting in the queue is excluded). */
  judgeRun(event: { verdict: string; language: string; seconds: number }): void;
  /** One daily delivery attempt ended this way. */
  deliveryOutcome(outcome: DeliveryOutcome): void;
  /** A background job failed (it may be retried; this counts failures, not lost work). */
  jobFailed(queue: JobQueue): void;
}

export const noTelemetry: Telemetry = {
  answerGraded: () => undefined,
  graderFallback: () => undefined,
  judgeRun: () => undefined,
  deliveryOutcome: () => undefined,
  jobFailed: () => undefined,
};
