import { closeSync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { StoreCorruptError, StoreWriteError } from "../../engine/store/errors.js";
import type { HandledEvents, Inbox } from "../../engine/inbox/ports.js";
import { inboxEntrySchema, type InboxEntry } from "../../engine/inbox/records.js";

const lineSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("accept"), entry: inboxEntrySchema }),
  z.object({ op: z.literal("done"), id: z.string().min(1), at: z.string() }),
]);
type Line = z.infer<typeof lineSchema>;

export interface JournalInboxOptions {
  /** Handled ids older than this are forgotten when the journal is compacted. */
  retentionMs?: number;
  /** The journal is rewritten (pending entries and recent ids only) once it grows past this. */
  compactAtBytes?: number;
  now?: () => Date;
}

interface Batch {
  text: string;
  apply: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The embedded inbox and record of handled messages: an append-only journal (`DATA_DIR/inbox/journal.jsonl`,
 * one JSON line per accepted reply or handled id). Appends arriving together share one write and one
 * fsync (group commit), so accepting 200 replies at once costs a few disk flushes, not 200. Memory is
 * updated only after the flush: what this object answers is always what is on disk. A write that fails
 * (disk full) is cut off the file again and leaves no trace; the journal is compacted at start and when
 * it grows, by an atomic rewrite.
 */
export class JournalInbox implements Inbox, HandledEvents {
  private readonly file: string;
  private readonly entries = new Map<string, InboxEntry>();
  private readonly handled = new Map<string, number>();
  private readonly accepting = new Map<string, Promise<{ accepted: boolean }>>();
  private readonly claiming = new Map<string, Promise<void>>();
  private readonly retentionMs: number;
  private readonly compactAtBytes: number;
  private readonly now: () => Date;
  private fd?: number;
  private size = 0;
  private queue: Batch[] = [];
  private flushScheduled = false;
  /** Set when a failed write could not be cut off: nothing more is appended until a restart repairs the tail. */
  private broken?: Error;

  private constructor(dataDir: string, options: JournalInboxOptions) {
    this.file = join(dataDir, "inbox", "journal.jsonl");
    this.retentionMs = options.retentionMs ?? 30 * 86_400_000;
    this.compactAtBytes = options.compactAtBytes ?? 8 * 1024 * 1024;
    this.now = options.now ?? (() => new Date());
  }

  /** Reads (and compacts) the journal; a damaged line other than an unfinished last one stops start-up, naming the file. */
  static async open(dataDir: string, options: JournalInboxOptions = {}): Promise<JournalInbox> {
    const inbox = new JournalInbox(dataDir, options);
    await inbox.load();
    return inbox;
  }

  async accept(entry: InboxEntry): Promise<{ accepted: boolean }> {
    const record = inboxEntrySchema.parse(entry);
    if (this.entries.has(record.id) || this.handled.has(record.id)) return { accepted: false };
    const inFlight = this.accepting.get(record.id);
    if (inFlight) return inFlight.then(() => ({ accepted: false }));
    const writing = this.append({ op: "accept", entry: record }, () => this.entries.set(record.id, record)).then(() => ({ accepted: true }));
    this.accepting.set(record.id, writing);
    try {
      return await writing;
    } finally {
      this.accepting.delete(record.id);
    }
  }

  async pending(): Promise<InboxEntry[]> {
    return [...this.entries.values()].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.ts.localeCompare(b.ts));
  }

  async pendingEntry(id: string): Promise<InboxEntry | undefined> {
    return this.entries.get(id);
  }

  async complete(id: string): Promise<void> {
    if (this.handled.has(id) && !this.entries.has(id)) return;
    await this.markDone(id);
  }

  async claim(id: string, at = this.now()): Promise<boolean> {
    if (this.handled.has(id) || this.entries.has(id)) return false;
    const inFlight = this.claiming.get(id);
    if (inFlight) return inFlight.then(() => false);
    const writing = this.markDone(id, at);
    this.claiming.set(id, writing);
    try {
      await writing;
      return true;
    } finally {
      this.claiming.delete(id);
    }
  }

  async has(id: string): Promise<boolean> {
    return this.handled.has(id) || this.entries.has(id);
  }

  async prune(before: Date): Promise<number> {
    let removed = 0;
    for (const [id, at] of this.handled) {
      if (at < before.getTime()) {
        this.handled.delete(id);
        removed += 1;
      }
    }
    if (removed > 0 && this.fd !== undefined) this.compact();
    return removed;
  }

  /** Flushes and closes the journal file. */
  async close(): Promise<void> {
    if (this.queue.length > 0) this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private markDone(id: string, at = this.now()): Promise<void> {
    return this.append({ op: "done", id, at: at.toISOString() }, () => {
      this.entries.delete(id);
      this.handled.set(id, at.getTime());
    });
  }

  private append(line: Line, apply: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ text: `${JSON.stringify(line)}\n`, apply, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // After the requests already read in this turn of the event loop have queued theirs: one flush for all.
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Writes everything queued as one append and one fdatasync, then applies it to memory. On purpose
   * synchronous, on the event loop: a flush costs a millisecond or two, while the thread pool that async
   * file calls share can be busy for far longer with grading's reads and writes — and acks wait on this.
   */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    try {
      if (this.broken) throw this.broken;
      this.write(batch.map((b) => b.text).join(""));
    } catch (error) {
      const failure = error instanceof StoreWriteError ? error : new StoreWriteError(this.file, error);
      for (const b of batch) b.reject(failure);
      return;
    }
    for (const b of batch) b.apply();
    for (const b of batch) b.resolve();
    if (this.size > this.compactAtBytes) {
      try {
        this.compact();
      } catch {
        // No room for the rewrite: the journal keeps growing until there is.
      }
    }
  }

  private write(text: string): void {
    const fd = this.fd;
    if (fd === undefined) throw new Error("the inbox is closed");
    const bytes = Buffer.from(text, "utf8");
    try {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset, this.size + offset);
      fdatasyncSync(fd);
      this.size += bytes.length;
    } catch (error) {
      // Cut off whatever part of the batch reached the file, so a later append does not follow a torn line.
      try {
        ftruncateSync(fd, this.size);
      } catch (truncateError) {
        this.broken = new StoreWriteError(this.file, truncateError);
      }
      throw new StoreWriteError(this.file, error);
    }
  }

  /**
   * What a journal holds (pending replies, handled ids with when), read without changing the file: for
   * `npm run db -- import`. A missing journal is empty.
   */
  static async read(dataDir: string): Promise<{ pending: InboxEntry[]; handled: Map<string, number> }> {
    const inbox = new JournalInbox(dataDir, {});
    await inbox.replay(await inbox.readRaw());
    return { pending: await inbox.pending(), handled: inbox.handled };
  }

  private async readRaw(): Promise<string> {
    return readFile(this.file, "utf8").catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") return "";
      throw e;
    });
  }

  private async replay(raw: string): Promise<void> {
    const lines = raw.split("\n");
    // The text after the last newline is an append that never completed (nothing was acknowledged for it).
    lines.pop();
    lines.forEach((text, index) => {
      let line: Line;
      try {
        line = lineSchema.parse(JSON.parse(text));
      } catch (error) {
        throw new StoreCorruptError(this.file, `line ${index + 1} is not an inbox record (${(error as Error).message.slice(0, 200)})`);
      }
      if (line.op === "accept") {
        if (!this.handled.has(line.entry.id)) this.entries.set(line.entry.id, line.entry);
      } else {
        this.entries.delete(line.id);
        this.handled.set(line.id, Date.parse(line.at) || this.now().getTime());
      }
    });
  }

  private async load(): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const raw = await this.readRaw();
    await this.replay(raw);
    await this.prune(new Date(this.now().getTime() - this.retentionMs));
    try {
      this.compact();
    } catch {
      // No room for a rewrite (disk full): keep the journal as it is, minus an unfinished last append.
      const clean = Buffer.byteLength(raw.slice(0, raw.lastIndexOf("\n") + 1), "utf8");
      this.fd = openSync(this.file, raw === "" ? "w+" : "r+");
      ftruncateSync(this.fd, clean);
      this.size = clean;
    }
  }

  /**
   * Rewrites the journal with the pending entries and the handled ids still kept: temp file, fsync,
   * rename. Synchronous, so no append can land in the old file meanwhile.
   */
  private compact(): void {
    const lines: Line[] = [
      ...[...this.handled].map(([id, at]): Line => ({ op: "done", id, at: new Date(at).toISOString() })),
      ...[...this.entries.values()].map((entry): Line => ({ op: "accept", entry })),
    ];
    const bytes = Buffer.from(lines.map((l) => `${JSON.stringify(l)}\n`).join(""), "utf8");
    const temp = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(temp, "w");
    let open = true;
    try {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      fsyncSync(fd);
      open = false;
      closeSync(fd);
      renameSync(temp, this.file);
    } catch (error) {
      if (open) closeSync(fd);
      try {
        unlinkSync(temp);
      } catch {
        // nothing to remove
      }
      throw error;
    }
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = openSync(this.file, "r+");
    this.size = bytes.length;
    this.broken = undefined;
  }
}
