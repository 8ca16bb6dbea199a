import type pg from "pg";
import { migrate, requireMigrated } from "./migrate.js";
import { PgDocumentStore } from "./pg-documents.js";
import { PgInbox } from "./pg-inbox.js";
import { createPool } from "./pool.js";
import { postgresReadiness, type ReadinessProbe } from "./probes.js";

const HANDLED_RETENTION_DAYS = 30;

export interface PostgresSettings {
  url: string;
  /** Apply pending migrations (DB_MIGRATE=on); off: refuse to open while any is pending. */
  migrate: boolean;
  poolSize: number;
}

export interface PostgresStorage {
  pool: pg.Pool;
  documents: PgDocumentStore;
  inbox: PgInbox;
  readiness: ReadinessProbe[];
}

/** Connects, brings the schema up to date (or checks it is), and opens the stores on one pool. */
export async function openPostgresStorage(settings: PostgresSettings, log: { info(m: string): void; warn(m: string): void }): Promise<PostgresStorage> {
  const pool = createPool({ url: settings.url, size: settings.poolSize, onIdleError: (error) => log.warn(`PostgreSQL connection lost: ${error.message}`) });
  try {
    if (settings.migrate) await migrate(pool, undefined, (line) => log.info(line));
    else await requireMigrated(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  // As the embedded journal does at start: handled ids are kept 30 days (Slack's retries stop long before).
  await pool.query("DELETE FROM inbox WHERE handled_at < now() - make_interval(days => $1)", [HANDLED_RETENTION_DAYS]).catch((error: Error) => log.warn(`Pruning handled messages: ${error.message}`));
  return { pool, documents: new PgDocumentStore(pool, "", true), inbox: new PgInbox(pool), readiness: postgresReadiness(pool) };
}
