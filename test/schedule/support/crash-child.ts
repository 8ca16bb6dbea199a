/**
 * A scheduler process for the kill -9 test: real stores in argv[2], the real Slack deliverer against
 * the Web API at argv[3]. Prints "started" once running and "drained" when every delivery is done.
 */
import { webApi } from "@slack/bolt";
import { QuestionBank } from "../../../src/engine/content/bank.js";
import { OfflineGrader } from "../../../src/engine/grading/offline.js";
import { InterviewService } from "../../../src/engine/interview/service.js";
import { ScheduleStore } from "../../../src/engine/schedule/schedule-store.js";
import { DailyScheduler } from "../../../src/engine/schedule/scheduler.js";
import { InterviewStore } from "../../../src/engine/store/interview-store.js";
import { SlackDeliverer } from "../../../src/slack/schedule/deliverer.js";
import { makeRound } from "./fixtures.js";
import { JsonDocs } from "../../../src/infra/embedded/json-docs.js";

const [dataDir, apiUrl] = process.argv.slice(2) as [string, string];
const client = new webApi.WebClient("xoxb-crash", { slackApiUrl: apiUrl, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
const bank = new QuestionBank([makeRound("alpha", 0, 8), makeRound("beta", 1, 8)]);
const interview = new InterviewService({ bank, store: new InterviewStore(new JsonDocs(dataDir)), grader: new OfflineGrader(), maxAnswerChars: 10_000 });
const scheduler = new DailyScheduler({
  store: new ScheduleStore(new JsonDocs(dataDir)),
  interview,
  deliverer: new SlackDeliverer(client),
  timeZoneOf: async () => undefined,
  pacing: { ratePerSecond: 150, burst: 20, concurrency: 8 },
  logger: { info: () => undefined, warn: (m) => console.error(m), error: (m) => console.error(m) },
});
await scheduler.start();
console.log("started");
await scheduler.drained();
console.log("drained");
process.exit(0);
