/**
 * A scheduler process of the `scale` bench on PostgreSQL: argv = database URL, fake Slack API URL,
 * instance id. Prints "started" once its scheduler runs; the bench kills it when the fan-out is done.
 */
import { deliveryInstance } from "./scale-delivery-instance.js";
import { openPostgresDocuments } from "../test/support/postgres-documents.js";

const [databaseUrl, apiUrl, instanceId] = process.argv.slice(2) as [string, string, string];
const docs = await openPostgresDocuments(databaseUrl);
const scheduler = deliveryInstance({ docs, apiUrl, instanceId, roundsDir: process.env.BENCH_ROUNDS_DIR });
await scheduler.start();
console.log("started");
// The scheduler's timers do not hold a process open (unref'd); a worker runs until it is killed.
setInterval(() => undefined, 60_000);
