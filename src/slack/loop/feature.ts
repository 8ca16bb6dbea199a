import { WebClient } from "@slack/web-api";
import { slackClientOptions } from "../client-options.js";
import type { Config } from "../../config.js";
import type { InterviewService } from "../../engine/interview/service.js";
import { LoopConductor } from "../../engine/loop/conductor.js";
import { LoopStore } from "../../engine/loop/loop-store.js";
import { LoopPacer } from "../../engine/loop/pacer.js";
import { LoopService, type FocusSink } from "../../engine/loop/service.js";
import { isValidTimeZone } from "../../engine/schedule/zones.js";
import { slackLoopDisplay } from "./display.js";
import type { Telemetry } from "../../engine/telemetry.js";

export interface LoopLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Everything the mock-loop feature needs at run time, shared by its listeners and its pacer. */
export interface LoopFeature {
  /** The loop's state (reading loops for `/interview loops` and status). */
  service: LoopService;
  /** What replies, commands and due rounds lead to: every change to a loop goes through it. */
  conductor: LoopConductor;
  pacer: LoopPacer;
  /** The person's IANA zone for daily pacing (falls back to SCHEDULE_DEFAULT_TZ). */
  timeZoneOf(userId: string): Promise<string>;
}

export interface LoopFeatureOptions {
  /** The daily scheduler, so the debrief's three focus items steer the daily questions. */
  focus?: FocusSink;
  /** A cached zone lookup (the schedule feature's people); users.info is used otherwise. */
  timeZoneOf?: (userId: string) => Promise<string | undefined>;
  logger: LoopLogger;
  /** Web API client for rounds posted by the pacer (default: one of our own, with Slack's usual retries). */
  client?: WebClient;
  /** Counts rounds the pacer failed to post (default: nothing). */
  telemetry?: Telemetry;
}

export function createLoopFeature(config: Config, interview: InterviewService, options: LoopFeatureOptions): LoopFeature {
  const client =
    options.client ?? new WebClient(config.slack.botToken, slackClientOptions(config));
  const service = new LoopService({
    interview,
    store: new LoopStore(interview.store.docs),
    focus: options.focus,
    followUpDepth: config.loop.followUpDepth,
    logger: options.logger,
  });
  // The conductor arms the pacer and the pacer calls the conductor back (only after start-up).
  const conductor: LoopConductor = new LoopConductor({
    service,
    timer: { schedule: (due) => pacer.schedule(due), cancel: (userId) => pacer.cancel(userId) },
    focusFed: Boolean(options.focus),
    logger: options.logger,
  });
  const pacer = new LoopPacer({ service, onDue: (due) => conductor.roundDue(due, slackLoopDisplay({ client })).then(() => undefined), logger: options.logger, telemetry: options.telemetry, multiInstance: Boolean(config.database) });
  const lookup = options.timeZoneOf ?? (async (userId: string) => ((await client.users.info({ user: userId })).user as { tz?: string } | undefined)?.tz);
  return {
    service,
    conductor,
    pacer,
    async timeZoneOf(userId) {
      const tz = await lookup(userId).catch(() => undefined);
      return tz && isValidTimeZone(tz) ? tz : config.schedule.defaultTimeZone;
    },
  };
}
