import { readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import { createFileExclusive } from "../store/atomic-file.js";
import { listJsonFiles, parseDocument } from "../store/json-doc.js";
import { safeSegment } from "../store/safe-path.js";
import type { HandledEvents, Inbox } from "./ports.js";
import { inboxEntrySchema, type InboxEntry } from "./records.js";

/**
 * The embedded inbox: one file per pending reply under `DATA_DIR/inbox/<channel>/<ts>.json`, created
 * atomically and exclusively (so accepting costs one small fsync'ed write and two deliveries of one
 * message cannot both be accepted), removed once the reply is handled and its id is in `handled`.
 */
export class FileInbox implements Inbox {
  private readonly dir: string;

  constructor(
    dataDir: string,
    private readonly handled: HandledEvents,
  ) {
    this.dir = join(dataDir, "inbox");
  }

  private file(id: string): string {
    return join(this.dir, `${safeSegment(id)}.json`);
  }

  async accept(entry: InboxEntry): Promise<{ accepted: boolean }> {
    const record = inboxEntrySchema.parse(entry);
    if (await this.handled.has(record.id)) return { accepted: false };
    return { accepted: await createFileExclusive(this.file(record.id), JSON.stringify(record)) };
  }

  async pending(): Promise<InboxEntry[]> {
    const entries: InboxEntry[] = [];
    for (const file of await listJsonFiles(this.dir)) {
      const raw = await readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => {
        if (e.code === "ENOENT") return undefined; // completed meanwhile
        throw e;
      });
      if (raw === undefined) continue;
      const entry = parseDocument(file, raw, inboxEntrySchema);
      // Handled, but the process died before the file was removed.
      if (await this.handled.has(entry.id)) await unlink(file).catch(() => undefined);
      else entries.push(entry);
    }
    return entries.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.ts.localeCompare(b.ts));
  }

  async complete(id: string): Promise<void> {
    // Handled first, then dropped: a crash in between leaves an entry that is known to be done.
    await this.handled.claim(id);
    await unlink(this.file(id)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "ENOENT") throw e;
    });
  }
}
