import { mkdir, readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Low } from "lowdb";
import { JSONFile } from "lowdb/node";
import type { z } from "zod";
import { StoreCorruptError } from "./errors.js";

export interface Doc<T> {
  readonly file: string;
  readonly data: T;
  /** Atomic (write to a temp file, then rename: lowdb's JSONFile through steno). */
  write(): Promise<void>;
}

/**
 * Opens lowdb documents, one file each, validated on read and cached with a bounded LRU so memory
 * does not grow with the number of users. Writing a document costs the size of that document only.
 */
export class JsonDocs {
  private readonly cache = new Map<string, Promise<Low<unknown>>>();

  constructor(
    readonly dir: string,
    private readonly maxCached = 2_000,
  ) {}

  async open<T>(relPath: string, schema: z.ZodType<T>, empty: () => T): Promise<Doc<T>> {
    const file = join(this.dir, relPath);
    let pending = this.cache.get(file) as Promise<Low<T>> | undefined;
    if (pending) {
      // Refresh recency.
      this.cache.delete(file);
      this.cache.set(file, pending as Promise<Low<unknown>>);
    } else {
      pending = this.load(file, schema, empty);
      this.cache.set(file, pending as Promise<Low<unknown>>);
      pending.catch(() => this.cache.delete(file));
      this.evict();
    }
    const db = await pending;
    return { file, data: db.data, write: () => db.write() };
  }

  /** Reads without creating: undefined when the document does not exist. */
  async peek<T>(relPath: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const file = join(this.dir, relPath);
    if (this.cache.has(file)) return (await this.cache.get(file)!).data as T;
    const raw = await readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return undefined;
      throw e;
    });
    return raw === undefined ? undefined : parseDocument(file, raw, schema);
  }

  private async load<T>(file: string, schema: z.ZodType<T>, empty: () => T): Promise<Low<T>> {
    await mkdir(dirname(file), { recursive: true });
    const raw = await readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return undefined;
      throw e;
    });
    const data = raw === undefined ? empty() : parseDocument(file, raw, schema);
    return new Low<T>(new JSONFile<T>(file), data);
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
