import pg from "pg";
import { StoreUnavailableError } from "../../engine/store/errors.js";
import { describeDatabase } from "./describe.js";

export { describeDatabase };

export interface PoolOptions {
  url: string;
  /** Connections kept at most (DB_POOL_SIZE). */
  size?: number;
  /** How long to wait for a connection before failing with StoreUnavailableError. */
  connectTimeoutMs?: number;
  /** Where errors of idle connections go (a restarted server); without this handler they would crash the process. */
  onIdleError?: (error: Error) => void;
}

/** A connection pool for DATABASE_URL. Idle connections do not keep a finished process alive. */
export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.size ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    allowExitOnIdle: true,
    application_name: "interview-coach",
  });
  pool.on("error", (error) => options.onIdleError?.(error));
  return pool;
}

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE", "EAI_AGAIN"]);

/**
 * True for failures of the connection rather than of the statement: the server refused, went away or
 * did not answer (SQLSTATE class 08, admin shutdown 57P0x, a database that does not exist 3D000).
 */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  if (!e) return false;
  if (e.code && (CONNECTION_CODES.has(e.code) || e.code.startsWith("08") || /^57P0[1-3]$/.test(e.code) || e.code === "3D000" || e.code === "28000" || e.code === "28P01")) return true;
  return /timeout exceeded when trying to connect|Connection terminated|connection timeout|Client has encountered a connection error/i.test(e.message ?? "");
}

/** Runs `work`, turning a connection failure into StoreUnavailableError (naming the database, never its password). */
export async function reaching<T>(pool: pg.Pool, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isConnectionError(error)) throw new StoreUnavailableError(describeDatabase(connectionString(pool)), error);
    throw error;
  }
}

function connectionString(pool: pg.Pool): string {
  return (pool.options as { connectionString?: string }).connectionString ?? "";
}

/** One transaction on one connection: COMMIT when `work` resolves, ROLLBACK when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    broken = isConnectionError(error);
    if (!broken) await client.query("ROLLBACK").catch(() => (broken = true));
    throw error;
  } finally {
    // A connection that failed mid-transaction is discarded, not handed to the next caller.
    client.release(broken);
  }
}
