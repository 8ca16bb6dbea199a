import type pg from "pg";
import type { HandledEvents, Inbox } from "../../engine/inbox/ports.js";
import { inboxEntrySchema, type InboxEntry } from "../../engine/inbox/records.js";
import { StoreCorruptError, StoreUnavailableError, StoreWriteError } from "../../engine/store/errors.js";
import { jsonForPostgres } from "./json.js";
import { reaching } from "./pool.js";

/**
 * The inbox and the record of handled messages as rows of `inbox` (see migrations/002_inbox.sql): one row
 * per message id, pending until handled. Every method is one statement, atomic across processes: of two
 * instances given the same Slack retry, the primary key lets exactly one accept it.
 */
export class PgInbox implements Inbox, HandledEvents {
  constructor(
    private readonly pool: pg.Pool,
    private readonly workspace = "",
  ) {}

  async accept(entry: InboxEntry): Promise<{ accepted: boolean }> {
    const record = inboxEntrySchema.parse(entry);
    const result = await this.write(record.id, () =>
      this.pool.query(
        "INSERT INTO inbox (workspace, id, entry, received_at, ts) VALUES ($1, $2, $3::jsonb, $4, $5) ON CONFLICT DO NOTHING",
        [this.workspace, record.id, jsonForPostgres(record), record.receivedAt, record.ts],
      ),
    );
    return { accepted: result.rowCount === 1 };
  }

  async pending(): Promise<InboxEntry[]> {
    const { rows } = await reaching(this.pool, () =>
      this.pool.query<{ id: string; entry: unknown }>(
        "SELECT id, entry FROM inbox WHERE workspace = $1 AND handled_at IS NULL ORDER BY received_at, ts",
        [this.workspace],
      ),
    );
    return rows.map(toEntry);
  }

  async pendingEntry(id: string): Promise<InboxEntry | undefined> {
    const { rows } = await reaching(this.pool, () =>
      this.pool.query<{ id: string; entry: unknown }>("SELECT id, entry FROM inbox WHERE workspace = $1 AND id = $2 AND handled_at IS NULL", [this.workspace, id]),
    );
    return rows[0] && toEntry(rows[0]);
  }

  async complete(id: string): Promise<void> {
    // An id never accepted is still remembered as handled, as the embedded journal does.
    await this.write(id, () =>
      this.pool.query(
        `INSERT INTO inbox (workspace, id, handled_at) VALUES ($1, $2, now())
         ON CONFLICT (workspace, id) DO UPDATE SET entry = NULL, handled_at = COALESCE(inbox.handled_at, EXCLUDED.handled_at)`,
        [this.workspace, id],
      ),
    );
  }

  async claim(id: string, at = new Date()): Promise<boolean> {
    const result = await this.write(id, () =>
      this.pool.query("INSERT INTO inbox (workspace, id, handled_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [this.workspace, id, at]),
    );
    return result.rowCount === 1;
  }

  async has(id: string): Promise<boolean> {
    const { rowCount } = await reaching(this.pool, () => this.pool.query("SELECT 1 FROM inbox WHERE workspace = $1 AND id = $2", [this.workspace, id]));
    return rowCount === 1;
  }

  async prune(before: Date): Promise<number> {
    const result = await this.write("(prune)", () =>
      this.pool.query("DELETE FROM inbox WHERE workspace = $1 AND handled_at < $2", [this.workspace, before]),
    );
    return result.rowCount ?? 0;
  }

  /** The pool belongs to the storage that opened it (see openPostgresStorage). */
  async close(): Promise<void> {}

  private async write(id: string, query: () => Promise<pg.QueryResult>): Promise<pg.QueryResult> {
    try {
      return await reaching(this.pool, query);
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      throw new StoreWriteError(`inbox row ${id} (PostgreSQL)`, error);
    }
  }
}

function toEntry(row: { id: string; entry: unknown }): InboxEntry {
  const parsed = inboxEntrySchema.safeParse(row.entry);
  if (!parsed.success) throw new StoreCorruptError(`inbox row ${row.id} (PostgreSQL)`, parsed.error.issues[0]?.message ?? "not an inbox entry");
  return parsed.data;
}
