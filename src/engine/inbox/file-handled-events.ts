import { readdir, readFile, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { createFileExclusive } from "../store/atomic-file.js";
import { safeSegment } from "../store/safe-path.js";
import type { HandledEvents } from "./ports.js";

/** Handled ids as one small marker file each under `DATA_DIR/handled/` (an exclusive create is the claim). */
export class FileHandledEvents implements HandledEvents {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, "handled");
  }

  private file(id: string): string {
    return join(this.dir, `${safeSegment(id)}.json`);
  }

  claim(id: string, at = new Date()): Promise<boolean> {
    return createFileExclusive(this.file(id), JSON.stringify({ id, at: at.toISOString() }));
  }

  async has(id: string): Promise<boolean> {
    return stat(this.file(id)).then(
      () => true,
      (e: NodeJS.ErrnoException) => {
        if (e.code === "ENOENT") return false;
        throw e;
      },
    );
  }

  async prune(before: Date): Promise<number> {
    const names = await readdir(this.dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return [] as string[];
      throw e;
    });
    let removed = 0;
    for (const name of names.filter((n) => n.endsWith(".json"))) {
      const file = join(this.dir, name);
      const at = await readFile(file, "utf8").then(
        (raw) => Date.parse((JSON.parse(raw) as { at?: string }).at ?? ""),
        () => Number.NaN,
      );
      if (Number.isFinite(at) && at < before.getTime()) {
        await unlink(file).catch(() => undefined);
        removed += 1;
      }
    }
    return removed;
  }
}
