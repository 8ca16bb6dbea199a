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
