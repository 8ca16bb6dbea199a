import type pg from "pg";
import { z } from "zod";
import type { Doc, DocumentStore } from "../../engine/storage/documents.js";
import { checkDocumentPath } from "../../engine/storage/paths.js";
import { StoreConflictError, StoreCorruptError, StoreUnavailableError, StoreWriteError } from "../../engine/store/errors.js";
import { safeSegment } from "../../engine/store/safe-path.js";
import { KeyedSerial } from "../../engine/serial.js";
import { jsonForPostgres, jsonTextForPostgres } from "./json.js";
import { inTransaction, reaching } from "./pool.js";

const anyJson = z.unknown();
/** Rows read per round trip by verify: memory stays bounded whatever the table holds. */
const VERIFY_BATCH = 500;

/** The workspace column of a nested workspace: each level encoded, so `A/B` and A's workspace B differ. */
export function workspaceKey(parent: string, workspace: string): string {
  const segment = safeSegment(workspace);
  return parent === "" ? segment : `${parent}/${segment}`;
}

/** The smallest string greater than every string starting with `prefix` (byte order, COLLATE "C"). */
function prefixEnd(prefix: string): string | undefined {
  const chars = [...prefix];
  while (chars.length > 0) {
    const last = chars.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      const next = last + 1 >= 0xd800 && last + 1 <= 0xdfff ? 0xe000 : last + 1;
      return chars.join("") + String.fromCodePoint(next);
    }
  }
  return undefined;
}

function parseRow<T>(where: string, data: unknown, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new StoreCorruptError(where, `unexpected shape at ${first?.path.join(".") || "(root)"}: ${first?.message}`);
  }
  return parsed.data;
}

/** Makes `target` equal to `source` while keeping its identity (a failed save returns the caller's object to the saved state). */
function replaceContents(target: object, source: object): void {
  for (const key of Object.keys(target)) delete (target as Record<string, unknown>)[key];
  Object.assign(target, source);
}

/** A document opened in this process: every open() of it shares this object, as with the embedded store. */
interface Live {
  data: object;
  /** The row's version this object was read at or last saved as; 0 while the row does not exist. */
  version: number;
  /** The saved JSON, to return memory to after a failed save. */
  committed: string;
  /** Bumped by every failed save: saves requested before it carry changes that were rolled back. */
  epoch: number;
}

/** What every view (workspace) of one pool shares in this process. */
interface Shared {
  live: Map<string, Live>;
  serial: KeyedSerial;
  maxLive: number;
}

/**
 * The engine's documents as rows of `documents` (workspace, path, data jsonb, version). Within a process,
 * saves and updates of one document run one at a time and every open() of it shares one object (as the
 * embedded store does), so the app never conflicts with itself. Across processes, `update` locks the row
 * for its read-modify-write and `open`/`write` use optimistic concurrency on `version`: a save based on a
 * row another process changed since is refused with StoreConflictError, never merged.
 */
export class PgDocumentStore implements DocumentStore {
  private readonly shared: Shared;

  constructor(
    private readonly pool: pg.Pool,
    /** The workspace column value; '' is the single-workspace store. */
    private readonly workspace = "",
    /** Only the store that created the pool ends it. */
    private readonly ownsPool = false,
    shared?: Shared,
  ) {
    this.shared = shared ?? { live: new Map(), serial: new KeyedSerial(), maxLive: 10_000 };
  }

  forWorkspace(workspace: string): DocumentStore {
    if (workspace === "") return this;
    return new PgDocumentStore(this.pool, workspaceKey(this.workspace, workspace), false, this.shared);
  }

  /** Where a document lives, for messages: its path, and its workspace when there is one. */
  private where(path: string): string {
    return this.workspace === "" ? `${path} (PostgreSQL documents)` : `${path} (PostgreSQL documents, workspace ${this.workspace})`;
  }

  private key(path: string): string {
    return `${this.workspace}\u0000${path}`;
  }

  async peek<T>(path: string, schema: z.ZodType<T>): Promise<T | undefined> {
    checkDocumentPath(path);
    // Reads what this process has already asked to save (a thread being recorded while its first reply
    // arrives), as the embedded store does.
    await this.shared.serial.settled(this.key(path));
    const { rows } = await reaching(this.pool, () =>
      this.pool.query<{ data: unknown }>("SELECT data FROM documents WHERE workspace = $1 AND path = $2", [this.workspace, path]),
    );
    return rows[0] ? parseRow(this.where(path), rows[0].data, schema) : undefined;
  }

  async open<T>(path: string, schema: z.ZodType<T>, empty: () => T): Promise<Doc<T>> {
    checkDocumentPath(path);
    const where = this.where(path);
    const key = this.key(path);
    const live = await this.shared.serial.run(key, async () => {
      const { rows } = await reaching(this.pool, () =>
        this.pool.query<{ data: unknown; version: string }>("SELECT data, version FROM documents WHERE workspace = $1 AND path = $2", [this.workspace, path]),
      );
      const version = rows[0] ? Number(rows[0].version) : 0;
      const cached = this.shared.live.get(key);
      if (cached && cached.version === version) return cached;
      // Not open here yet, or changed (or removed) by another process since: this process's object takes the row.
      const data = (rows[0] ? parseRow(where, rows[0].data, schema) : empty()) as object;
      const committed = JSON.stringify(data);
      if (cached) {
        replaceContents(cached.data, data);
        Object.assign(cached, { version, committed });
        return cached;
      }
      const fresh: Live = { data, version, committed, epoch: 0 };
      this.remember(key, fresh);
      return fresh;
    });
    return { file: where, data: live.data as T, write: () => this.save(path, live) };
  }

  /** Saves the shared object as it is when the save runs (after the saves and updates queued before it). */
  private save(path: string, live: Live): Promise<void> {
    const where = this.where(path);
    const epoch = live.epoch;
    return this.shared.serial.run(this.key(path), async () => {
      if (live.epoch !== epoch) throw new StoreWriteError(where, new Error("an earlier save of this document failed and its changes were rolled back"));
      const text = JSON.stringify(live.data);
      try {
        const result = await reaching(this.pool, () =>
          live.version === 0
            ? this.pool.query<{ version: string }>(
                "INSERT INTO documents (workspace, path, data) VALUES ($1, $2, $3::jsonb) ON CONFLICT DO NOTHING RETURNING version",
                [this.workspace, path, jsonTextForPostgres(text)],
              )
            : this.pool.query<{ version: string }>(
                "UPDATE documents SET data = $3::jsonb, version = version + 1, updated_at = now() WHERE workspace = $1 AND path = $2 AND version = $4 RETURNING version",
                [this.workspace, path, jsonTextForPostgres(text), live.version],
              ),
        );
        if (result.rowCount !== 1) throw new StoreConflictError(where);
        live.version = Number(result.rows[0]!.version);
        live.committed = text;
      } catch (error) {
        // Memory goes back to what is saved: a refused change must not be written later by another save.
        live.epoch += 1;
        replaceContents(live.data, JSON.parse(live.committed) as object);
        if (error instanceof StoreConflictError) {
          // Another process saved it: the next open() reads its version rather than this stale copy.
          if (this.shared.live.get(this.key(path)) === live) this.shared.live.delete(this.key(path));
          throw error;
        }
        if (error instanceof StoreUnavailableError) throw error;
        throw new StoreWriteError(where, error);
      }
    });
  }

  async update<T, R>(path: string, schema: z.ZodType<T>, empty: () => T, change: (draft: T) => R): Promise<{ data: T; result: R }> {
    checkDocumentPath(path);
    const where = this.where(path);
    const key = this.key(path);
    return this.shared.serial.run(key, async () => {
      let outcome: { data: T; result: R; version: number };
      try {
        outcome = await reaching(this.pool, () =>
          inTransaction(this.pool, async (client) => {
            for (;;) {
              const { rows } = await client.query<{ data: unknown }>("SELECT data FROM documents WHERE workspace = $1 AND path = $2 FOR UPDATE", [this.workspace, path]);
              if (rows[0]) {
                const draft = parseRow(where, rows[0].data, schema);
                const result = change(draft);
                const saved = await client.query<{ version: string }>(
                  "UPDATE documents SET data = $3::jsonb, version = version + 1, updated_at = now() WHERE workspace = $1 AND path = $2 RETURNING version",
                  [this.workspace, path, jsonForPostgres(draft)],
                );
                return { data: draft, result, version: Number(saved.rows[0]!.version) };
              }
              // Missing: create it with the change applied. Of two first writers, one inserts; the other waits
              // for it, inserts nothing, and goes round again to lock the row and apply its change on top.
              const draft = empty();
              const result = change(draft);
              const inserted = await client.query<{ version: string }>(
                "INSERT INTO documents (workspace, path, data) VALUES ($1, $2, $3::jsonb) ON CONFLICT DO NOTHING RETURNING version",
                [this.workspace, path, jsonForPostgres(draft)],
              );
              if (inserted.rowCount === 1) return { data: draft, result, version: Number(inserted.rows[0]!.version) };
            }
          }),
        );
      } catch (error) {
        if (error instanceof StoreCorruptError || error instanceof StoreUnavailableError || !isDatabaseError(error)) throw error;
        throw new StoreWriteError(where, error);
      }
      // A copy of it opened in this process takes the change, as with the embedded store.
      const live = this.shared.live.get(key);
      if (live) {
        const text = JSON.stringify(outcome.data);
        replaceContents(live.data, JSON.parse(text) as object);
        Object.assign(live, { version: outcome.version, committed: text });
      }
      return { data: outcome.data, result: outcome.result };
    });
  }

  /** Keeps at most `maxLive` opened documents: the oldest is forgotten (its holders keep their object). */
  private remember(key: string, live: Live): void {
    this.shared.live.delete(key);
    this.shared.live.set(key, live);
    while (this.shared.live.size > this.shared.maxLive) this.shared.live.delete(this.shared.live.keys().next().value as string);
  }

  async list(prefix: string): Promise<string[]> {
    // No path holds a NUL (checkDocumentPath), and PostgreSQL text cannot carry one.
    if (prefix.includes("\u0000")) return [];
    const end = prefixEnd(prefix);
    const { rows } = await reaching(this.pool, () =>
      this.pool.query<{ path: string }>(
        end === undefined
          ? "SELECT path FROM documents WHERE workspace = $1 AND path >= $2"
          : "SELECT path FROM documents WHERE workspace = $1 AND path >= $2 AND path < $3",
        end === undefined ? [this.workspace, prefix] : [this.workspace, prefix, end],
      ),
    );
    // The range is exact in byte order; the check keeps it exact whatever the server's collation does.
    return rows.map((r) => r.path).filter((p) => p.startsWith(prefix));
  }

  async remove(path: string): Promise<boolean> {
    checkDocumentPath(path);
    const key = this.key(path);
    return this.shared.serial.run(key, async () => {
      const result = await reaching(this.pool, () => this.pool.query("DELETE FROM documents WHERE workspace = $1 AND path = $2", [this.workspace, path]));
      this.shared.live.delete(key);
      return result.rowCount === 1;
    });
  }

  /** Reads the workspace's rows in batches (keyset pagination), never the whole table at once. */
  async verify(schemaFor: (path: string) => z.ZodType<unknown> | undefined): Promise<{ documents: number }> {
    let after = "";
    let count = 0;
    for (;;) {
      const { rows } = await reaching(this.pool, () =>
        this.pool.query<{ path: string; data: unknown }>("SELECT path, data FROM documents WHERE workspace = $1 AND path > $2 ORDER BY path LIMIT $3", [
          this.workspace,
          after,
          VERIFY_BATCH,
        ]),
      );
      for (const row of rows) parseRow(this.where(row.path), row.data, schemaFor(row.path) ?? anyJson);
      count += rows.length;
      if (rows.length < VERIFY_BATCH) return { documents: count };
      after = rows.at(-1)!.path;
    }
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}

function isDatabaseError(error: unknown): boolean {
  return typeof (error as { code?: unknown })?.code === "string" || (error as Error)?.name === "DatabaseError";
}
