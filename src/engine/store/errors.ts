/** A data file that cannot be read as what it should be. Start-up stops on it: user data is never reset. */
export class StoreCorruptError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(
      `Data file ${file} is corrupt (${reason}). Nothing was changed. ` +
        `Restore it from a backup or fix it by hand, then start again.`,
    );
    this.name = "StoreCorruptError";
  }
}

/** A save that did not reach the disk (disk full, read-only file system…). Nothing of it stays in memory. */
export class StoreWriteError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(`Could not save ${file}${code ? ` (${code})` : ""}: ${(cause as Error)?.message ?? String(cause)}. The change was not kept.`, { cause });
    this.name = "StoreWriteError";
  }

  /** The file system's error code (ENOSPC, EROFS…), when there is one. */
  get code(): string | undefined {
    return ((this.cause as NodeJS.ErrnoException | undefined)?.code as string | undefined) ?? undefined;
  }
}

/**
 * A save refused because another process saved the same document since it was opened (optimistic
 * concurrency). Nothing of the refused change was kept: open the document again and redo the change.
 */
export class StoreConflictError extends Error {
  constructor(readonly file: string) {
    super(`Could not save ${file}: it was changed by another process since it was opened. The change was not kept; open it again and retry.`);
    this.name = "StoreConflictError";
  }
}

/** The store cannot be reached (database down, refused, timed out). Nothing was read or written. */
export class StoreUnavailableError extends Error {
  constructor(
    readonly where: string,
    cause: unknown,
  ) {
    super(`The data store (${where}) cannot be reached: ${(cause as Error)?.message ?? String(cause)}. Nothing was changed.`, { cause });
    this.name = "StoreUnavailableError";
  }
}

/** A document path that could name something outside its store (`..`, an absolute path, a NUL byte…). */
export class InvalidDocumentPathError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Invalid document path ${JSON.stringify(path)}: ${reason}.`);
    this.name = "InvalidDocumentPathError";
  }
}
