import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgBossJobs } from "../../src/infra/postgres/pg-boss-jobs.js";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../support/postgres.js";
import { CONTRACT_CONCURRENCY, jobQueueContract } from "./job-queue-contract.js";

const silent = { warn: () => undefined, error: () => undefined };
const settings = { concurrency: CONTRACT_CONCURRENCY, retryLimit: 3, retryDelaySeconds: 0, maxRunMs: 60_000 };

let db: TestDatabase | undefined;
let schemaNumber = 0;
beforeAll(async () => {
  if (TEST_DATABASE_URL) db = await createTestDatabase("jobs");
});
afterAll(async () => {
  await db?.drop();
});

// Each test gets its own pg-boss schema on the file's database, so tests never see each other's jobs.
jobQueueContract(
  "pg-boss",
  async () => {
    const schema = `boss_${++schemaNumber}`;
    const open = () =>
      PgBossJobs.start({ connectionString: db!.url, schema, queues: { grade: settings, judge: settings, deliver: settings, loop: settings }, logger: silent, pollIntervalMs: 200 });
    return { queue: await open(), another: open };
  },
  { skip: !TEST_DATABASE_URL },
);

describe.skipIf(!TEST_DATABASE_URL)("pg-boss leases", () => {
  const leaseSettings = { concurrency: 1, retryLimit: 3, retryDelaySeconds: 0, maxRunMs: 60_000 };
  const open = (schema: string, heartbeatMs: number) =>
    PgBossJobs.start({
      connectionString: db!.url,
      schema,
      queues: { grade: leaseSettings, judge: leaseSettings, deliver: leaseSettings, loop: leaseSettings },
      logger: silent,
      pollIntervalMs: 200,
      leaseSeconds: 2,
      heartbeatMs,
      maintenanceIntervalSeconds: 1,
    });

  /** Two workers on one queue; one job that runs 6 s (three leases); who ran it, with what context. */
  async function longJob(heartbeatMs: number) {
    const schema = `lease_${++schemaNumber}`;
    const workers = [await open(schema, heartbeatMs), await open(schema, heartbeatMs)];
    const runs: { worker: number; mayBeDone: boolean }[] = [];
    try {
      for (const [i, w] of workers.entries()) {
        await w.work("grade", async (_data, context) => {
          runs.push({ worker: i, mayBeDone: context.mayBeDone });
          await new Promise((r) => setTimeout(r, 6_000));
        });
      }
      await workers[0]!.send("grade", { n: 1 });
      await new Promise((r) => setTimeout(r, 8_000));
      return runs;
    } finally {
      for (const w of workers) await w.stop(0);
    }
  }

  it("a live worker keeps a job longer than its lease: nobody else runs it", async () => {
    expect(await longJob(500)).toHaveLength(1);
  }, 30_000);

  it("without renewal the lease runs out and another worker takes the job, told it may be done", async () => {
    const runs = await longJob(60_000);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs[1]!.mayBeDone).toBe(true);
  }, 30_000);
});
