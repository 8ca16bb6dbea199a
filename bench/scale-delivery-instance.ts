/**
 * One scheduler instance of the `scale` bench's delivery half: the real DailyScheduler in multi-instance
 * mode over a shared DocumentStore, delivering through the real Slack deliverer to the bench's fake Slack.
 * Run in-process (embedded store) or as a child process (PostgreSQL: bench/scale-delivery-worker.ts).
 */
import { webApi } from "@slack/bolt";
import { QuestionBank } from "../src/engine/content/bank.js";
import { loadRounds } from "../src/engine/content/load.js";
import { contentPaths } from "../src/engine/content/paths.js";
import { OfflineGrader } from "../src/engine/grading/offline.js";
import { InterviewService } from "../src/engine/interview/service.js";
import { ScheduleStore } from "../src/engine/schedule/schedule-store.js";
import { DailyScheduler } from "../src/engine/schedule/scheduler.js";
import type { DocumentStore } from "../src/engine/storage/documents.js";
import { InterviewStore } from "../src/engine/store/interview-store.js";
import { SlackDeliverer } from "../src/slack/schedule/deliverer.js";
import { ScaledRetryAfter } from "../test/schedule/support/scaled-retry-after.js";

/** The fake Slack answers `Retry-After: 1`; instances wait it out this many times faster (as bench/schedule.ts). */
export const RETRY_AFTER_SCALE = 20;
/** Each instance alone would send this many a second: together they exceed the fake's limit, so 429s happen. */
export const SEND_RATE_PER_INSTANCE = 200;

export function deliveryInstance(input: { docs: DocumentStore; apiUrl: string; instanceId: string; roundsDir?: string }): DailyScheduler {
  const client = new webApi.WebClient("xoxb-bench-scale", {
    slackApiUrl: input.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logLevel: webApi.LogLevel.ERROR,
  });
  const bank = new QuestionBank(loadRounds(input.roundsDir ?? contentPaths().roundsDir));
  const interview = new InterviewService({ bank, store: new InterviewStore(input.docs), grader: new OfflineGrader(), maxAnswerChars: 12_000 });
  return new DailyScheduler({
    store: new ScheduleStore(input.docs),
    interview,
    deliverer: new ScaledRetryAfter(new SlackDeliverer(client), RETRY_AFTER_SCALE),
    timeZoneOf: async () => undefined,
    pacing: { ratePerSecond: SEND_RATE_PER_INSTANCE, burst: SEND_RATE_PER_INSTANCE / 10, concurrency: 16, perChannelIntervalMs: 1000 },
    logger: { info: () => undefined, warn: (m) => console.error(m), error: (m) => console.error(m) },
    multiInstance: true,
    instanceId: input.instanceId,
  });
}
