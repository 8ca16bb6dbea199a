/**
 * Storage: the same operations on the embedded store (lowdb files, fsync'ed) and on PostgreSQL, measured in
 * one run. Needs a server: TEST_DATABASE_URL (or BENCH_DATABASE_URL); a fresh database is created and dropped.
 *
 *   peek           one read of a document (PostgreSQL: one round trip; embedded: served from its cache)
 *   update         read-modify-write of one existing document, one caller at a time
 *   open+write     the optimistic path (read, then a versioned save)
 *   contended      200 updates of ONE document, 20 at a time from two pools (two processes)
 *   spread         2,000 updates of 500 documents, 20 at a time
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import type { DocumentStore } from "../src/engine/storage/documents.js";
import { JsonDocs } from "../src/infra/embedded/json-docs.js";
import { migrate } from "../src/infra/postgres/migrate.js";
import { PgDocumentStore } from "../src/infra/postgres/pg-documents.js";
import { createPool } from "../src/infra/postgres/pool.js";
import { createTestDatabase } from "../test/support/postgres.js";
import { percentile } from "./stats.js";

const docSchema = z.object({ n: z.number(), items: z.array(z.string()) });
const empty = () => ({ n: 0, items: [] as string[] });
const SAMPLES = 300;

interface Figures {
  peek: number[];
  update: number[];
  openWrite: number[];
  contendedPerSecond: number;
  spreadPerSecond: number;
}

async function timed(times: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await op(i);
    out.push(performance.now() - start);
  }
  return out.sort((a, b) => a - b);
}

async function throughput(total: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await op(next++);
    }),
  );
  return total / ((performance.now() - start) / 1000);
}

async function measure(a: DocumentStore, b: DocumentStore): Promise<Figures> {
  const bump = (store: DocumentStore, path: string, i: number) =>
    store.update(path, docSchema, empty, (d) => {
      d.n += 1;
      d.items.push(`item ${i}`);
      if (d.items.length > 20) d.items.shift();
    });
  await bump(a, "bench/hot.json", 0);
  const peek = await timed(SAMPLES, () => a.peek("bench/hot.json", docSchema));
  const update = await timed(SAMPLES, (i) => bump(a, "bench/hot.json", i));
  const openWrite = await timed(SAMPLES, async (i) => {
    const doc = await a.open("bench/ow.json", docSchema, empty);
    doc.data.n += 1;
    doc.data.items = [`item ${i}`];
    await doc.write();
  });
  const contendedPerSecond = await throughput(200, 20, (i) => bump(i % 2 ? b : a, "bench/contended.json", i));
  const spreadPerSecond = await throughput(2_000, 20, (i) => bump(i % 2 ? b : a, `bench/spread/${i % 500}.json`, i));
  return { peek, update, openWrite, contendedPerSecond, spreadPerSecond };
}

const ms = (sorted: number[]) => `p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms`;

export async function runStorageBench(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url) {
    console.log("skipped: set TEST_DATABASE_URL (a PostgreSQL server; scripts/pg-throwaway.sh start <dir> prints one)");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "bench-storage-"));
  const embeddedStore = new JsonDocs(dir);
  const embedded = await measure(embeddedStore, embeddedStore);
  rmSync(dir, { recursive: true, force: true });

  process.env.TEST_DATABASE_URL = url;
  const db = await createTestDatabase("bench");
  const poolA = createPool({ url: db.url, size: 10 });
  const poolB = createPool({ url: db.url, size: 10 });
  try {
    await migrate(poolA);
    const postgres = await measure(new PgDocumentStore(poolA), new PgDocumentStore(poolB));
    for (const [name, f] of [
      ["embedded", embedded],
      ["postgres", postgres],
    ] as const) {
      console.log(`${name.padEnd(8)} peek ${ms(f.peek)} | update ${ms(f.update)} | open+write ${ms(f.openWrite)}`);
      console.log(`${name.padEnd(8)} contended (1 doc, 20 at once; two pools on postgres): ${f.contendedPerSecond.toFixed(0)} updates/s | spread (500 docs): ${f.spreadPerSecond.toFixed(0)} updates/s`);
    }
    const ratio = (p: number[], e: number[]) => (percentile(p, 50) / percentile(e, 50)).toFixed(2);
    console.log(
      `ratios postgres/embedded (p50): peek ${ratio(postgres.peek, embedded.peek)}, update ${ratio(postgres.update, embedded.update)}, open+write ${ratio(postgres.openWrite, embedded.openWrite)}; ` +
        `throughput spread ${(postgres.spreadPerSecond / embedded.spreadPerSecond).toFixed(2)}`,
    );
  } finally {
    await poolA.end();
    await poolB.end();
    await db.drop();
  }
}
