import type { z } from "zod";

/** A document opened for changes: mutate `data`, then `write()` without awaiting anything in between. */
export interface Doc<T> {
  /** Where the document lives (a file, or a row), for error messages. */
  readonly file: string;
  readonly data: T;
  /**
   * Saves `data` as it is now, durably. Rejects with StoreWriteError when it could not be saved (memory is
   * back to the saved state) and with StoreConflictError when another process saved the document since it
   * was opened (open it again and redo the change).
   */
  write(): Promise<void>;
}

/**
 * Where the engine keeps its state: JSON documents addressed by a path such as `users/U123.json`. The
 * embedded implementation keeps one file per document under DATA_DIR (lowdb); the PostgreSQL one keeps
 * one row per document. Every method is durable when its promise resolves.
 */
export interface DocumentStore {
  /** Opens a document for changes; a missing one starts as `empty()` and is created by its first write. */
  open<T>(path: string, schema: z.ZodType<T>, empty: () => T): Promise<Doc<T>>;
  /** Reads without creating: undefined when the document does not exist. */
  peek<T>(path: string, schema: z.ZodType<T>): Promise<T | undefined>;
  /**
   * Applies `change` to the current document (or `empty()`) and saves it, atomically with respect to every
   * other update of that document in any process. `change` may run more than once; it must not throw
   * after mutating the draft.
   */
  update<T, R>(path: string, schema: z.ZodType<T>, empty: () => T, change: (draft: T) => R): Promise<{ data: T; result: R }>;
  /** Paths of the documents whose path starts with `prefix`, in no particular order. */
  list(prefix: string): Promise<string[]>;
  /** Deletes a document; false when there was none. */
  remove(path: string): Promise<boolean>;
  /**
   * Parses every document once with the schema `schemaFor` gives its path (undefined: any JSON), so a corrupt
   * one stops start-up with its name before anything writes.
   */
  verify(schemaFor: (path: string) => z.ZodType<unknown> | undefined): Promise<{ documents: number }>;
  /**
   * The same store as one workspace sees it: every path lives under that workspace and nothing of another
   * workspace can be reached from it. The empty workspace is the store itself (single-workspace mode).
   */
  forWorkspace(workspace: string): DocumentStore;
  /** Releases files or connections once nothing more is written. */
  close(): Promise<void>;
}
