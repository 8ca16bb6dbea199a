import type { Config } from "../config.js";
import type { QueueName } from "../engine/jobs/ports.js";
import type { ReplyJobs, ReplyQueue } from "../engine/inbox/reply-jobs.js";
import { handleThreadReply } from "../slack/inbox/handle-reply.js";
import type { LoopFeature } from "../slack/loop/feature.js";
import type { ScheduleFeature } from "../slack/schedule/feature.js";
import type { ClientFor } from "../slack/workspace-client.js";
import type { Engine, Logger } from "./engine.js";

/** How often a worker on a shared queue looks for answers left pending, and how old they must be. */
export const RECOVERY_EVERY_MS = 30_000;
export const RECOVERY_AFTER_MS = 60_000;

/** Why a process could not start its work (said in one line, no stack). */
export class WorkerStartError extends Error {
  override name = "WorkerStartError";
}

/**
 * The queues this process takes: WORKER_QUEUES, except that a dedicated worker whose sandbox failed its
 * self-test refuses code judging in production (a judge host without a working sandbox must not take
 * code answers that another host could run). An `all` process keeps every queue, as before: without the
 * sandbox its coding critiques say code execution is off.
 */
export function workerQueues(config: Config, judge: Engine["judge"], logger: Logger): QueueName[] {
  const queues = config.workerQueues;
  if (config.role !== "worker" || config.nodeEnv !== "production" || judge.available || !queues.includes("judge")) return queues;
  const rest = queues.filter((q) => q !== "judge");
  logger.error(`Refusing the judge queue: the code sandbox failed its self-test (${judge.reason ?? "unknown reason"}). Taking: ${rest.join(", ") || "nothing"}.`);
  if (rest.length === 0) throw new WorkerStartError("This worker was asked only for the judge queue and the sandbox cannot run here: see docs/code-judge.md.");
  return rest;
}

export interface WorkInput {
  config: Config;
  engine: Engine;
  replies: ReplyJobs;
  schedule: ScheduleFeature;
  loop: LoopFeature;
  clientFor: ClientFor;
  logger: Logger;
}

export interface RunningWork {
  queues: QueueName[];
  /** Stops the timers (scheduler, pacer, recovery sweep); the job queue's own stop drains jobs. */
  stop(): void;
}

/**
 * Starts what runs jobs in this process: the daily scheduler (deliver), the mock-loop pacer (loop), and
 * the reply workers (grade, judge) after sending again what a previous process left pending.
 */
export async function startWork(input: WorkInput): Promise<RunningWork> {
  const { config, engine, replies, schedule, loop, clientFor, logger } = input;
  const queues = workerQueues(config, engine.judge, logger);
  // Before listening: a corrupt schedule file stops start-up here, naming the file.
  if (queues.includes("deliver")) await schedule.scheduler.start();
  // Mock loops paced a round a day: rounds that fell due while the app was down are posted now.
  if (queues.includes("loop")) await loop.pacer.start();
  const replyQueues = queues.filter((q): q is ReplyQueue => q === "grade" || q === "judge");
  if (replyQueues.length > 0) {
    const deps = { interview: engine.interview, loop, inbox: engine.inbox, logger };
    await replies.work(replyQueues, async (entry, context) => handleThreadReply(deps, await clientFor(entry), entry, context));
    // Replies a previous process acknowledged but did not finish go first, ahead of anything new.
    const recovered = await replies.recover();
    if (recovered > 0) logger.info(`Resuming ${recovered} answer(s) received before the last stop.`);
    // On a shared queue another process may die between storing a reply and sending its job.
    if (config.databaseUrl) replies.startRecovery(RECOVERY_EVERY_MS, RECOVERY_AFTER_MS);
  }
  return {
    queues,
    stop() {
      replies.stopRecovery();
      schedule.scheduler.stop();
      loop.pacer.stop();
    },
  };
}
