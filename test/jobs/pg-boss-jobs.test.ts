import { afterAll, beforeAll } from "vitest";
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
