/**
 * A scheduler process on PostgreSQL for the multi-instance kill -9 test: argv = database URL, Slack Web
 * API URL, instance id, lease in ms. Prints "started" once its scheduler runs.
 */
import { QuestionBank } from "../../../src/engine/content/bank.js";
import { webApi } from "@slack/bolt";
import { OfflineGrader } from "../../../src/engine/grading/offline.js";
import { InterviewService } from "../../../src/engine/interview/service.js";
import { ScheduleStore } from "../../../src/engine/schedule/schedule-store.js";
import { DailyScheduler } from "../../../src/engine/schedule/scheduler.js";
import { InterviewStore } from "../../../src/engine/store/interview-store.js";
import { SlackDeliverer } from "../../../src/slack/schedule/deliverer.js";
import { openPostgresDocuments } from "../../support/postgres-documents.js";
import { makeRound } from "./fixtures.js";

const [databaseUrl, apiUrl, instanceId, leaseMs] = process.argv.slice(2) as [string, string, string, string];
const docs = await openPostgresDocuments(databaseUrl, 4);
const client = new webApi.WebClient("xoxb-pg", { slackApiUrl: apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
const bank = new QuestionBank([makeRound("alpha", 0, 8), makeRound("beta", 1, 8)]);
const scheduler = new DailyScheduler({
  store: new ScheduleStore(docs),
  interview: new InterviewService({ bank, store: new InterviewStore(docs), grader: new OfflineGrader(), maxAnswerChars: 10_000 }),
  deliverer: new SlackDeliverer(client),
  timeZoneOf: async () => undefined,
  pacing: { ratePerSecond: 60, burst: 10, concurrency: 6 },
  logger: { info: () => undefined, warn: (m) => console.error(m), error: (m) => console.error(m) },
  multiInstance: true,
  instanceId,
  leaseMs: Number(leaseMs),
  refreshMs: 1_000,
});
await scheduler.start();
console.log("started");
// The scheduler's timers do not hold a process open (unref'd); a worker runs until it is killed.
setInterval(() => undefined, 60_000);
