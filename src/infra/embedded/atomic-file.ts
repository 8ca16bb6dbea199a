import { mkdir, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

let counter = 0;
/** Directories known to exist: creating them again on every write is a wasted system call. */
const knownDirs = new Set<string>();

/** A temp name next to `file` that no other write (in this or another process) uses. */
function tempNameFor(file: string): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return join(dirname(file), `.${basename(file)}.${process.pid}.${counter}.tmp`);
}

/** Writes `data` to a fresh temp file and flushes it; the temp file is removed again when anything fails. */
async function writeTemp(file: string, data: string): Promise<string> {
  const dir = dirname(file);
  if (!knownDirs.has(dir)) {
    await mkdir(dir, { recursive: true });
    knownDirs.add(dir);
  }
  const temp = tempNameFor(file);
  try {
    const handle = await open(temp, "wx");
    try {
      await handle.writeFile(data, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    return temp;
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * Replaces `file` with `data` atomically: temp file, fsync, rename. Readers see the old content or the
 * new one, never a torn file, and a crash of the process never loses it once this resolves. (The
 * directory is not fsync'ed: after a power cut the rename may be undone, which leaves the previous
 * version — whole — and the inbox still holds any reply whose grading that version lacks.)
 */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const temp = await writeTemp(file, data);
  try {
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
