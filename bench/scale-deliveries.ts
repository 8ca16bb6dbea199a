/**
 * Bench, part `scale` (delivery half): 5,000 daily subscribers due at the same moment, delivered by two
 * scheduler instances sharing one store, against the local fake Slack that rate-limits with 429 +
 * Retry-After. Reports time to deliver, duplicates (must be 0) and misses (must be 0).
 *
 * With TEST_DATABASE_URL (or BENCH_DATABASE_URL) set and the PostgreSQL store in the build, the two
 * instances are two worker processes on a fresh database; otherwise two instances in this process over
 * one embedded store (the run says which). Retry-After is scaled as in the `schedule` part.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { ScheduleStore } from "../src/engine/schedule/schedule-store.js";
import { JsonDocs } from "../src/infra/embedded/json-docs.js";
import { createTestDatabase } from "../test/support/postgres.js";
import { startLimitedSlack } from "../test/schedule/support/limited-slack.js";
import { subscribersDueNow } from "../test/schedule/support/instances.js";
import { deliveryInstance, RETRY_AFTER_SCALE, SEND_RATE_PER_INSTANCE } from "./scale-delivery-instance.js";
import { openPostgresDocuments } from "../test/support/postgres-documents.js";

const SUBSCRIBERS = 5_000;
const INSTANCES = 2;
const POSTS_PER_SECOND = 250;
const LATENCY_MS = 15;
const WORKER = fileURLToPath(new URL("./scale-delivery-worker.ts", import.meta.url));

function startWorker(databaseUrl: string, apiUrl: string, id: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER, databaseUrl, apiUrl, id], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("started")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`scale worker ${id} exited with ${code} before starting`)));
  });
}

export async function runScaleDeliveriesBench(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const onPostgres = Boolean(databaseUrl);
  const slack = await startLimitedSlack({ postPerSecond: POSTS_PER_SECOND, openPerSecond: 1000, latencyMs: LATENCY_MS });
  const database = onPostgres ? await createTestDatabase("bench_scale") : undefined;
  const dataDir = onPostgres ? undefined : mkdtempSync(join(tmpdir(), "bench-scale-"));
  const docs = database ? await openPostgresDocuments(database.url) : new JsonDocs(dataDir!);
  const workers: ChildProcess[] = [];
  const inProcess: ReturnType<typeof deliveryInstance>[] = [];
  try {
    const setupStart = performance.now();
    // Everyone subscribed to a daily slot two minutes ago: due at once when the instances start.
    const { keys } = await subscribersDueNow(docs, SUBSCRIBERS, "U", { dmChannels: true, concurrency: 100 });
    const setupSeconds = (performance.now() - setupStart) / 1000;

    const started = performance.now();
    const ids = Array.from({ length: INSTANCES }, (_, i) => `scale-${i + 1}`);
    if (database) {
      workers.push(...(await Promise.all(ids.map((id) => startWorker(database.url, slack.apiUrl, id)))));
    } else {
      for (const id of ids) inProcess.push(deliveryInstance({ docs, apiUrl: slack.apiUrl, instanceId: id, roundsDir: process.env.BENCH_ROUNDS_DIR }));
      await Promise.all(inProcess.map((s) => s.start()));
    }
    const channels = new Set<string>();
    let seen = 0;
    const deadline = Date.now() + 10 * 60_000;
    while (channels.size < keys.length && Date.now() < deadline) {
      for (; seen < slack.posts.length; seen++) channels.add(slack.posts[seen]!.channel);
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    // Any duplicate would come from a slot taken over by mistake: give late posts a moment to show up.
    await new Promise((r) => setTimeout(r, 3_000));

    const perChannel = new Map<string, number>();
    for (const p of slack.posts) perChannel.set(p.channel, (perChannel.get(p.channel) ?? 0) + 1);
    const duplicates = [...perChannel.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
    const misses = keys.filter((k) => !perChannel.has(`D${k.id.slice(1)}`)).length;
    const ledger = (await new ScheduleStore(docs).snapshot()).flatMap((d) => d.ledger);
    const sent = ledger.filter((e) => e.state === "sent");
    const byOwner = new Map<string, number>();
    for (const e of sent) byOwner.set(e.owner ?? "?", (byOwner.get(e.owner ?? "?") ?? 0) + 1);

    const where = database
      ? `${INSTANCES} worker processes on PostgreSQL`
      : `${INSTANCES} scheduler instances in one process on the embedded store (no TEST_DATABASE_URL, or no PostgreSQL store in this build)`;
    console.log(`scale: ${SUBSCRIBERS} subscribers due at once, ${where} (setup ${setupSeconds.toFixed(1)} s, not timed)`);
    console.log(
      `scale: fake Slack allows ${POSTS_PER_SECOND} chat.postMessage/s and 1/s per channel, ${LATENCY_MS} ms latency, 429 + Retry-After: 1 s scaled 1/${RETRY_AFTER_SCALE}; each instance paced at ${SEND_RATE_PER_INSTANCE}/s`,
    );
    console.log(`scale: all delivered ${seconds.toFixed(2)} s after the instances started (${(SUBSCRIBERS / seconds).toFixed(0)} msg/s)`);
    console.log(`scale: duplicates ${duplicates} (must be 0), misses ${misses} (must be 0), ledger entries sent ${sent.length}/${SUBSCRIBERS}`);
    console.log(`scale: slots per instance ${[...byOwner.entries()].map(([o, n]) => `${o} ${n}`).join(", ")}; 429 responses ${slack.counts.rateLimited}`);
    if (duplicates > 0 || misses > 0) process.exitCode = 1;
  } finally {
    for (const s of inProcess) s.stop();
    for (const w of workers) w.kill("SIGKILL");
    await docs.close();
    await database?.drop();
    await slack.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runScaleDeliveriesBench();
