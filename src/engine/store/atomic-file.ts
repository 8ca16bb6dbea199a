import { link, mkdir, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

let counter = 0;
/** Directories known to exist: creating them again on every write is a wasted system call. */
const knownDirs = new Set<string>();

/** A temp name next to `file` that no other write (in this or another process) uses. */
function tempNameFor(file: string): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return join(dirname(file), `.${basename(file)}.${process.pid}.${counter}.tmp`);
}

/** Flushes a directory entry (a rename or link) to disk; some file systems cannot, which only costs durability on power loss. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r").catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close().catch(() => undefined);
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

/**
 * Creates `file` with `data` only if it does not exist yet, atomically (a hard link of a complete temp
 * file: another writer, even in another process, either wins or sees EEXIST). Resolves false when the
 * file already existed.
 */
export async function createFileExclusive(file: string, data: string): Promise<boolean> {
  const temp = await writeTemp(file, data);
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  await syncDir(dirname(file));
  return true;
}
