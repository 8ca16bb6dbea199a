import { cpSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { openStorage } from "../../src/app/storage.js";
import { loadMigrations, migrate, migrationStatus, MigrationError, MIGRATIONS_DIR } from "../../src/infra/postgres/migrate.js";
import { createPool } from "../../src/infra/postgres/pool.js";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../support/postgres.js";

describe.skipIf(!TEST_DATABASE_URL)("PostgreSQL migrations", () => {
  let db: TestDatabase;
  const cleanup: (() => Promise<void> | void)[] = [];
  beforeEach(async () => {
    db = await createTestDatabase("mig");
  });
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
    await db.drop();
  });
  const pool = (size = 3) => {
    const p = createPool({ url: db.url, size });
    cleanup.push(() => p.end());
    return p;
  };
  /** A copy of the migration files the test may change. */
  const migrationsCopy = () => {
    const dir = mkdtempSync(join(tmpdir(), "migrations-"));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  it("applies every migration to a fresh database, then nothing on the second run", async () => {
    const p = pool();
    const all = loadMigrations();
    expect(all.map((m) => m.version)).toEqual([...all.map((m) => m.version)].sort((a, b) => a - b));
    expect((await migrationStatus(p)).pending).toHaveLength(all.length);
    const first = await migrate(p);
    expect(first.map((m) => m.name)).toEqual(all.map((m) => m.name));
    const tables = await p.query<{ t: string }>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
    expect(tables.rows.map((r) => r.t)).toEqual(["documents", "inbox", "schema_migrations"]);
    expect(await migrate(p)).toEqual([]);
    const status = await migrationStatus(p);
    expect(status.pending).toEqual([]);
    expect(status.applied.map((a) => a.version)).toEqual(all.map((m) => m.version));
    expect((await p.query("SELECT * FROM schema_migrations")).rowCount).toBe(all.length);
  });

  it("of concurrent runs from separate pools (instances starting together), each migration is applied once", async () => {
    const pools = [pool(), pool(), pool(), pool()];
    const results = await Promise.all(pools.map((p) => migrate(p)));
    const applied = results.flat().map((m) => m.version);
    expect(applied.sort()).toEqual(loadMigrations().map((m) => m.version).sort());
    expect((await pools[0]!.query("SELECT version FROM schema_migrations")).rowCount).toBe(loadMigrations().length);
  });

  it("refuses an applied migration whose file changed, and a database migrated by newer code", async () => {
    const p = pool();
    await migrate(p);
    const dir = migrationsCopy();
    appendFileSync(join(dir, "001_documents.sql"), "\n-- edited after the fact\n");
    await expect(migrate(p, loadMigrations(dir))).rejects.toThrow(/001_documents was changed after it was applied/);
    await expect(migrationStatus(p, loadMigrations(dir))).rejects.toThrow(MigrationError);

    const newer = migrationsCopy();
    writeFileSync(join(newer, "900_future.sql"), "CREATE TABLE future_thing (id int);");
    await migrate(p, loadMigrations(newer));
    await expect(migrate(p)).rejects.toThrow(/900_future, which this code does not know/);
  });

  it("a migration that fails is rolled back whole and not recorded", async () => {
    const p = pool();
    const dir = migrationsCopy();
    writeFileSync(join(dir, "003_broken.sql"), "CREATE TABLE half_done (id int); SELECT no_such_function();");
    await expect(migrate(p, loadMigrations(dir))).rejects.toThrow(/003_broken failed and was rolled back/);
    expect((await p.query("SELECT to_regclass('half_done') AS t")).rows[0].t).toBeNull();
    expect((await migrationStatus(p, loadMigrations(dir))).pending.map((m) => m.name)).toEqual(["broken"]);
  });

  it("the app: DB_MIGRATE=off refuses to start while migrations are pending, naming them; on, it applies them", async () => {
    const env = { DATA_DIR: "/nonexistent-unused", DATABASE_URL: db.url };
    const off = await openStorage(loadConfig({ ...env, DB_MIGRATE: "off" })).catch((e: unknown) => e);
    expect(off).toBeInstanceOf(MigrationError);
    expect((off as Error).message).toContain("001_documents");
    expect((off as Error).message).toContain("npm run db -- migrate");
    const on = await openStorage(loadConfig(env));
    cleanup.push(() => on.documents.close());
    const probes = Object.fromEntries(await Promise.all(on.readiness.map(async (p) => [p.name, await p.check()])));
    expect(probes).toEqual({ database: { ok: true }, migrations: { ok: true, detail: `${loadMigrations().length} applied` } });
    // Handled ids older than 30 days are forgotten at start (as the embedded journal does); pending replies never.
    const p = pool();
    await p.query("INSERT INTO inbox (workspace, id, handled_at) VALUES ('', 'old', now() - interval '31 days'), ('', 'recent', now() - interval '29 days')");
    const again = await openStorage(loadConfig({ ...env, DB_MIGRATE: "off" }));
    await again.documents.close();
    expect((await p.query("SELECT id FROM inbox ORDER BY id")).rows.map((r) => r.id)).toEqual(["recent"]);
  });

  it("readiness probes answer within their bound when the database hangs or is gone", async () => {
    // A server that accepts connections and never answers: the probe must not hang.
    const { createServer } = await import("node:net");
    const sockets: import("node:net").Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    cleanup.push(() => {
      for (const s of sockets) s.destroy();
      silent.close();
    });
    const { postgresReadiness } = await import("../../src/infra/postgres/probes.js");
    const hung = createPool({ url: `postgres://postgres@127.0.0.1:${(silent.address() as import("node:net").AddressInfo).port}/x`, connectTimeoutMs: 3_000 });
    cleanup.push(() => hung.end().catch(() => undefined));
    const started = Date.now();
    const results = await Promise.all(postgresReadiness(hung, 500).map((p) => p.check()));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(results.every((r) => !r.ok && /no answer within 500 ms/.test(r.detail ?? ""))).toBe(true);
  });
});
