import { WebClient } from "@slack/web-api";
import { slackClientOptions } from "../client-options.js";
import type { Config } from "../../config.js";
import type { InterviewService } from "../../engine/interview/service.js";
import { ScheduleStore } from "../../engine/schedule/schedule-store.js";
import { DailyScheduler, type ScheduleLogger } from "../../engine/schedule/scheduler.js";
import { SlackDeliverer } from "./deliverer.js";
import { SlackPeople } from "./people.js";
import type { Telemetry } from "../../engine/telemetry.js";

/** Everything the daily-question feature needs at run time, shared by its listeners. */
export interface ScheduleFeature {
  scheduler: DailyScheduler;
  store: ScheduleStore;
  people: SlackPeople;
}

/**
 * A Web API client of its own for scheduled deliveries: 429s are handed back (not retried inside
 * the client for up to 30 minutes, Bolt's default), so the delivery queue can wait out Retry-After
 * for deliveries only, while commands and events keep using the app's client undisturbed.
 */
export function deliveryClient(config: Config, token = config.slack.botToken): WebClient {
  return new WebClient(token, slackClientOptions(config, { rejectRateLimitedCalls: true, retryConfig: { retries: 0 } }));
}

/** One workspace's daily questions, posted with that workspace's bot token and paced on their own. */
export function createScheduleFeature(
  config: Config,
  interview: InterviewService,
  logger: ScheduleLogger,
  options: { token?: string; telemetry?: Telemetry } = {},
): ScheduleFeature {
  const client = deliveryClient(config, options.token ?? config.slack.botToken);
  const store = new ScheduleStore(interview.store.docs);
  const people = new SlackPeople(client);
  const scheduler = new DailyScheduler({
    // With PostgreSQL, other instances share the subscribers: slots are claimed under a lease.
    multiInstance: Boolean(config.database),
    store,
    interview,
    deliverer: new SlackDeliverer(client),
    timeZoneOf: (userId) => people.timeZoneOf(userId),
    adminUserIds: config.slack.adminUserIds,
    pacing: {
      ratePerSecond: config.schedule.sendRatePerSecond,
      burst: config.schedule.sendBurst,
      concurrency: config.schedule.sendConcurrency,
    },
    defaultTimeZone: config.schedule.defaultTimeZone,
    logger,
    telemetry: options.telemetry,
  });
  return { scheduler, store, people };
}
