import type { Config } from "../config.js";
import type { JobQueue, QueueName } from "../engine/jobs/ports.js";
import { InProcessJobs, type InProcessQueueSettings } from "../infra/embedded/in-process-jobs.js";
import type { PgBossQueueSettings } from "../infra/postgres/pg-boss-jobs.js";
import type { Logger } from "./engine.js";

/** The queue this process uses: pg-boss on DATABASE_URL, else the embedded one (with `idle` for tests). */
export type AppJobs = JobQueue & { idle?(): Promise<void> };

/** Embedded: today's reply processing (32 at a time; retries after 2 s, 15 s, 60 s, then at the next start). */
export function inProcessQueueSettings(): Record<QueueName, InProcessQueueSettings> {
  const replies = { concurrency: 32, retryDelaysMs: [2_000, 15_000, 60_000] };
  const background = { concurrency: 4, retryDelaysMs: [2_000, 15_000, 60_000] };
  return { grade: replies, judge: replies, deliver: background, loop: background };
}

/** Room for posting after grading: Slack calls time out at 15 s and are tried up to four times. */
const POSTING_MARGIN_MS = 60_000;
/** A code answer may wait for a sandbox slot and runs every test before it is graded. */
const JUDGING_MARGIN_MS = 180_000;

/**
 * PostgreSQL: how long each kind of job may legitimately run — grading is bounded by the LLM deadline
 * (OPENAI_DEADLINE_MS, each sample), judging by the sandbox's wall clock on top — and how often it is
 * tried. A dead worker's job does not wait for these: its lease (30 s, renewed every 10 s) runs out.
 */
export function pgBossQueueSettings(config: Config): Record<QueueName, PgBossQueueSettings> {
  const grading = (config.llm?.deadlineMs ?? 0) + POSTING_MARGIN_MS;
  const retries = { retryLimit: 5, retryDelaySeconds: 2 };
  return {
    grade: { concurrency: 16, maxRunMs: grading, ...retries },
    judge: { concurrency: 4, maxRunMs: grading + JUDGING_MARGIN_MS, ...retries },
    deliver: { concurrency: 4, maxRunMs: 5 * 60_000, ...retries },
    loop: { concurrency: 4, maxRunMs: grading, ...retries },
  };
}

/** Opens the job queue selected by DATABASE_URL. */
export async function openJobs(config: Config, logger: Logger): Promise<AppJobs> {
  if (!config.database) return new InProcessJobs({ queues: inProcessQueueSettings(), logger });
  // Loaded only in this mode: the embedded default does not pay for pg-boss.
  const { PgBossJobs } = await import("../infra/postgres/pg-boss-jobs.js");
  return PgBossJobs.start({ connectionString: config.database.url, queues: pgBossQueueSettings(config), logger });
}
