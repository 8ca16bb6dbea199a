import { readdir, readFile, rm } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { Low, type Adapter } from "lowdb";
import { z } from "zod";
import { KeyedSerial } from "../../engine/serial.js";
import type { Doc, DocumentStore } from "../../engine/storage/documents.js";
import { checkDocumentPath } from "../../engine/storage/paths.js";
import { safeSegment } from "../../engine/store/safe-path.js";
import { InvalidDocumentPathError, StoreCorruptError, StoreWriteError } from "../../engine/store/errors.js";
import { writeFileAtomic } from "./atomic-file.js";

/** lowdb's adapter over our atomic, fsync'ed file writes. Reading is done (and validated) by JsonDocs. */
class DurableJsonFile<T> implements Adapter<T> {
  constructor(private readonly file: string) {}
  async read(): Promise<T | null> {
    return null;
  }
  async write(data: T): Promise<void> {
    await writeFileAtomic(this.file, serialize(data));
  }
}

const anyJson = z.unknown();

function serialize(data: unknown): string {
  return JSON.stringify(data, null, 2);
}

/** Makes `target` equal to `source` while keeping its identity, so every holder of the object sees the change. */
function replaceContents(target: object, source: object): void {
  for (const key of Object.keys(target)) delete (target as Record<string, unknown>)[key];
  Object.assign(target, source);
}

interface Waiting {
  change: (draft: unknown) => unknown;
  resolve: (value: { data: unknown; result: unknown }) => void;
  reject: (error: unknown) => void;
}

interface Entry {
  db: Low<unknown>;
  /** Updates not yet written, saved together by the next write of this file. */
  waiting?: Waiting[];
  /** What is on disk (serialized), or undefined while the document exists only in memory. */
  committed?: string;
  /** The document as first opened when it did not exist on disk (the state a failed first write returns to). */
  initial?: string;
  /** Bumped by every failed write: writes requested before it carry changes that were rolled back. */
  epoch: number;
}

/**
 * Opens lowdb documents, one file each, validated on read and cached with a bounded LRU so memory
 * does not grow with the number of users. Writing a document costs the size of that document only.
 *
 * The cache never holds what the disk does not: writes to one file run one at a time, and a write
 * that fails (disk full, read-only file system) restores the cached document to its last saved state,
 * so a change the caller was told failed can never be written later by someone else's save.
 */
export class JsonDocs implements DocumentStore {
  private readonly cache = new Map<string, Promise<Entry | undefined>>();
  private readonly serial = new KeyedSerial();

  constructor(
    readonly dir: string,
    /** Documents kept in memory; enough for a daily fan-out of most workspaces without re-reading files. */
    private readonly maxCached = 10_000,
  ) {}

  forWorkspace(workspace: string): DocumentStore {
    if (workspace === "") return this;
    // A separate tree per workspace: no path of one can name a file of another.
    return new JsonDocs(join(this.dir, "workspaces", safeSegment(workspace)), this.maxCached);
  }

  async list(prefix: string): Promise<string[]> {
    const files = await listJsonFiles(this.dir);
    return files
      .map((file) => relative(this.dir, file).split(sep).join("/"))
      .filter((path) => path.startsWith(prefix) && !path.startsWith("workspaces/"));
  }

  async remove(relPath: string): Promise<boolean> {
    const file = this.fileOf(relPath);
    return this.serial.run(file, async () => {
      this.cache.delete(file);
      const existed = await readFile(file).then(
        () => true,
        () => false,
      );
      await rm(file, { force: true });
      return existed;
    });
  }

  async verify(schemaFor: (path: string) => z.ZodType<unknown> | undefined): Promise<{ documents: number }> {
    const paths = await this.list("");
    for (const path of paths) {
      const file = join(this.dir, path);
      parseDocument(file, await readFile(file, "utf8"), schemaFor(path) ?? anyJson);
    }
    return { documents: paths.length };
  }

  async close(): Promise<void> {
    this.cache.clear();
  }

  async open<T>(relPath: string, schema: z.ZodType<T>, empty: () => T): Promise<Doc<T>> {
    const file = this.fileOf(relPath);
    const entry = await this.entry(file, schema, empty);
    return { file, data: entry.db.data as T, write: () => this.write(file, entry) };
  }

  /** Reads without creating: undefined when the document does not exist. */
  async peek<T>(relPath: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const entry = await this.entry(this.fileOf(relPath), schema);
    return entry?.db.data as T | undefined;
  }

  /**
   * Applies `change` to a copy of the document and saves the copy; only once it is on disk does the
   * cached document take the change. Updates (and writes) of one file run one at a time; updates that
   * arrive while one is being written are saved together in the next write (one write for a burst of
   * answers to the same thread, not one each). `change` must not throw after mutating the draft.
   */
  async update<T, R>(relPath: string, schema: z.ZodType<T>, empty: () => T, change: (draft: T) => R): Promise<{ data: T; result: R }> {
    const file = this.fileOf(relPath);
    const entry = await this.entry(file, schema, empty);
    return new Promise((resolve, reject) => {
      const waiting = (entry.waiting ??= []);
      waiting.push({ change: change as (draft: unknown) => unknown, resolve: resolve as Waiting["resolve"], reject });
      if (waiting.length === 1) void this.serial.run(file, () => this.saveWaiting(file, entry));
    });
  }

  /** The file of a document; `workspaces/` holds the other workspaces' trees and is out of reach. */
  private fileOf(relPath: string): string {
    checkDocumentPath(relPath);
    if (relPath.startsWith("workspaces/")) throw new InvalidDocumentPathError(relPath, "workspaces/ holds other workspaces' documents");
    return join(this.dir, relPath);
  }

  /** One draft, every waiting change applied to it in order, one write; each caller gets its own result. */
  private async saveWaiting(file: string, entry: Entry): Promise<void> {
    let batch = entry.waiting ?? [];
    entry.waiting = undefined;
    const live = entry.db.data as object;
    let draft: object;
    let results: unknown[];
    for (;;) {
      draft = structuredClone(live);
      results = [];
      const failed = batch.findIndex((w) => {
        try {
          results.push(w.change(draft));
          return false;
        } catch (error) {
          w.reject(error);
          return true;
        }
      });
      if (failed < 0) break;
      // Start again from the saved state without the change that threw.
      batch = batch.filter((_, i) => i !== failed);
    }
    if (batch.length === 0) return;
    const text = serialize(draft);
    try {
      await writeFileAtomic(file, text);
    } catch (error) {
      const failure = new StoreWriteError(file, error);
      for (const w of batch) w.reject(failure);
      return;
    }
    replaceContents(live, draft);
    entry.committed = text;
    batch.forEach((w, i) => w.resolve({ data: live, result: results[i] }));
  }

  private write(file: string, entry: Entry): Promise<void> {
    const epoch = entry.epoch;
    return this.serial.run(file, async () => {
      if (entry.epoch !== epoch) throw new StoreWriteError(file, new Error("an earlier save of this file failed and its changes were rolled back"));
      const text = serialize(entry.db.data);
      try {
        await entry.db.write();
        entry.committed = text;
      } catch (error) {
        entry.epoch += 1;
        replaceContents(entry.db.data as object, JSON.parse(entry.committed ?? entry.initial!) as object);
        // A document that never reached the disk must not be served from memory either.
        if (entry.committed === undefined) this.cache.delete(file);
        throw new StoreWriteError(file, error);
      }
    });
  }

  /** The cached entry for `file`, loading it once; without `empty`, a missing file is undefined (and not cached). */
  private async entry<T>(file: string, schema: z.ZodType<T>, empty?: () => T): Promise<Entry> ;
  private async entry<T>(file: string, schema: z.ZodType<T>): Promise<Entry | undefined>;
  private async entry<T>(file: string, schema: z.ZodType<T>, empty?: () => T): Promise<Entry | undefined> {
    const cached = this.cache.get(file);
    if (cached) {
      const entry = await cached;
      if (entry) {
        // Refresh recency.
        this.cache.delete(file);
        this.cache.set(file, cached);
        return entry;
      }
    }
    const pending = this.load(file, schema, empty);
    this.cache.set(file, pending);
    pending.then(
      (entry) => {
        if (!entry && this.cache.get(file) === pending) this.cache.delete(file);
      },
      () => this.cache.delete(file),
    );
    this.evict();
    return pending;
  }

  private async load<T>(file: string, schema: z.ZodType<T>, empty?: () => T): Promise<Entry | undefined> {
    const raw = await readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return undefined;
      throw e;
    });
    if (raw === undefined && !empty) return undefined;
    const data = raw === undefined ? empty!() : parseDocument(file, raw, schema);
    const db = new Low<unknown>(new DurableJsonFile<unknown>(file), data);
    return raw === undefined ? { db, initial: serialize(data), epoch: 0 } : { db, committed: serialize(data), epoch: 0 };
  }

  private evict(): void {
    while (this.cache.size > this.maxCached) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
  }
}

export function parseDocument<T>(file: string, raw: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new StoreCorruptError(file, `invalid JSON: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new StoreCorruptError(file, `unexpected shape at ${first?.path.join(".") || "(root)"}: ${first?.message}`);
  }
  return parsed.data;
}

/** Every `.json` file under `dir`, recursively (for the start-up integrity check). */
export async function listJsonFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return [];
    throw e;
  });
  return entries.filter((e) => e.isFile() && e.name.endsWith(".json")).map((e) => join(e.parentPath, e.name));
}
