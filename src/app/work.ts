import type { Config } from "../config.js";
import type { QueueName } from "../engine/jobs/ports.js";
import type { ReplyJobs, ReplyQueue } from "../engine/inbox/reply-jobs.js";
import { handleThreadReply } from "../slack/inbox/handle-reply.js";
import type { SlackWorkspaces } from "../slack/workspaces.js";
import { withLogContext } from "../ops/logging.js";
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
  const queues = config.role === "app" ? [] : config.workerQueues;
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
  /** The workspaces served (their interview services, loop features and Slack clients). */
  workspaces: SlackWorkspaces;
  queues: QueueName[];
  logger: Logger;
}

export interface RunningWork {
  queues: QueueName[];
  /** Stops the timers (schedulers, pacers, recovery sweep); the job queue's own stop drains jobs. */
  stop(): Promise<void>;
}

/**
 * Starts what runs jobs in this process: every workspace's daily scheduler (deliver) and mock-loop pacer
 * (loop), and the reply workers (grade, judge) after sending again what a previous process left pending.
 */
export async function startWork(input: WorkInput): Promise<RunningWork> {
  const { config, replies, workspaces, queues, logger } = input;
  // Before taking replies: a corrupt schedule document stops start-up here, naming it.
  if (queues.includes("deliver") || queues.includes("loop")) await workspaces.startAll();
  const replyQueues = queues.filter((q): q is ReplyQueue => q === "grade" || q === "judge");
  if (replyQueues.length > 0) {
    await replies.work(replyQueues, (entry, context) =>
      // Each reply's log lines name its workspace and author, whatever process runs it.
      withLogContext({ team: entry.workspace, user: entry.userId }, async () => {
        const runtime = await workspaces.get(entry.workspace ?? workspaces.rootWorkspace);
        const { interview, loop, inbox } = runtime.deps;
        return handleThreadReply({ interview, loop, inbox, logger: runtime.deps.logger }, runtime.client, entry, context);
      }),
    );
    // Replies a previous process acknowledged but did not finish go first, ahead of anything new.
    const recovered = await replies.recover();
    if (recovered > 0) logger.info(`Resuming ${recovered} answer(s) received before the last stop.`);
    // On a shared queue another process may die between storing a reply and sending its job.
    if (config.database) replies.startRecovery(RECOVERY_EVERY_MS, RECOVERY_AFTER_MS);
  }
  return {
    queues,
    async stop() {
      replies.stopRecovery();
      await workspaces.stopAll();
    },
  };
}
