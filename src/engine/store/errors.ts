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
