import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { reaching } from "./pool.js";

/** A versioned SQL file under src/infra/postgres/migrations (copied beside the compiled code by the build). */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
  appliedAt: Date;
}

export interface MigrationStatus {
  applied: AppliedMigration[];
  pending: Migration[];
}

/** The database and the code disagree about the schema: changed files, or a database migrated by newer code. */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

export const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations/", import.meta.url));

/** Two instances starting at once: the second waits for the first to finish migrating, then finds nothing to do. */
const MIGRATION_LOCK = 4_133_996_085;

const FILE = /^(\d{3,})_([a-z0-9_]+)\.sql$/;

/** Reads the migration files in version order; a misnamed file or a repeated version is refused. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith(".sql")) continue;
    const match = FILE.exec(file);
    if (!match) throw new MigrationError(`Migration file ${file} is misnamed: use NNN_name.sql (e.g. 003_add_index.sql).`);
    const sql = readFileSync(`${dir}/${file}`, "utf8");
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) throw new MigrationError(`Two migration files have version ${version}.`);
    migrations.push({ version, name: match[2]!, sql, checksum: createHash("sha256").update(sql).digest("hex") });
  }
  return migrations.sort((a, b) => a.version - b.version);
}

const label = (m: { version: number; name: string }) => `${String(m.version).padStart(3, "0")}_${m.name}`;

/** What is applied and what is pending, without changing anything; refuses a schema the code does not match. */
export async function migrationStatus(pool: pg.Pool, migrations = loadMigrations()): Promise<MigrationStatus> {
  return reaching(pool, async () => {
    const applied = await readApplied(pool);
    return compare(applied, migrations);
  });
}

/**
 * Applies the pending migrations, each in its own transaction with its row in schema_migrations, under an
 * advisory lock so concurrent starts apply each exactly once. Returns the ones it applied.
 */
export async function migrate(pool: pg.Pool, migrations = loadMigrations(), log: (line: string) => void = () => undefined): Promise<Migration[]> {
  return reaching(pool, async () => {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
      try {
        await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
          version    integer PRIMARY KEY,
          name       text NOT NULL,
          checksum   text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now()
        )`);
        const { pending } = compare(await readApplied(client), migrations);
        for (const migration of pending) {
          await client.query("BEGIN");
          try {
            await client.query(migration.sql);
            await client.query("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", [migration.version, migration.name, migration.checksum]);
            await client.query("COMMIT");
          } catch (error) {
            await client.query("ROLLBACK").catch(() => undefined);
            throw new MigrationError(`Migration ${label(migration)} failed and was rolled back: ${(error as Error).message}`);
          }
          log(`Applied migration ${label(migration)}`);
        }
        return pending;
      } finally {
        await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => (broken = true));
      }
    } catch (error) {
      broken ||= !(error instanceof MigrationError);
      throw error;
    } finally {
      client.release(broken);
    }
  });
}

/**
 * For DB_MIGRATE=off: refuses to go on while a migration is pending, naming them and how to apply them.
 */
export async function requireMigrated(pool: pg.Pool, migrations = loadMigrations()): Promise<void> {
  const { pending } = await migrationStatus(pool, migrations);
  if (pending.length > 0) {
    throw new MigrationError(
      `The database lacks ${pending.length} migration(s): ${pending.map(label).join(", ")}. ` +
        "Apply them with `npm run db -- migrate` (or start with DB_MIGRATE=on), then start again.",
    );
  }
}

async function readApplied(db: pg.Pool | pg.PoolClient): Promise<AppliedMigration[]> {
  const exists = await db.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (!exists.rows[0]?.t) return [];
  const { rows } = await db.query<{ version: number; name: string; checksum: string; applied_at: Date }>(
    "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version",
  );
  return rows.map((r) => ({ version: r.version, name: r.name, checksum: r.checksum, appliedAt: r.applied_at }));
}

function compare(applied: AppliedMigration[], migrations: Migration[]): MigrationStatus {
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const row of applied) {
    const file = known.get(row.version);
    if (!file) {
      throw new MigrationError(
        `The database has migration ${label(row)}, which this code does not know: it was migrated by a newer version of the app. ` +
          "Run that version (or newer), or restore a backup taken before it.",
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `Migration ${label(file)} was changed after it was applied (checksum differs). ` +
          "Applied migrations must never be edited: restore the file and put the change in a new migration.",
      );
    }
  }
  const done = new Set(applied.map((r) => r.version));
  return { applied, pending: migrations.filter((m) => !done.has(m.version)) };
}

export { label as migrationLabel };
