import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { JournalInbox } from "../../src/infra/embedded/journal-inbox.js";
import { StoreCorruptError, StoreWriteError } from "../../src/engine/store/errors.js";
import { canMountTmpfs, mountSmallDisk } from "../support/tmpfs.js";
import { entry, inboxContract } from "./inbox-contract.js";

inboxContract("JournalInbox (embedded, DATA_DIR/inbox/journal.jsonl)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "inbox-"));
  const opened: JournalInbox[] = [];
  const open = async () => {
    const inbox = await JournalInbox.open(dir);
    opened.push(inbox);
    return inbox;
  };
  const first = await open();
  return {
    inbox: first,
    handled: first,
    async reopen() {
      const inbox = await open();
      return { inbox, handled: inbox };
    },
    async cleanup() {
      for (const inbox of opened) await inbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe("JournalInbox on disk", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "inbox-"));
    dirs.push(dir);
    return dir;
  };

  it("ignores an append the process died in the middle of (never acknowledged), and keeps the rest", async () => {
    const dir = tempDir();
    const inbox = await JournalInbox.open(dir);
    await inbox.accept(entry("400.000001"));
    await inbox.close();
    appendFileSync(join(dir, "inbox", "journal.jsonl"), '{"op":"accept","entry":{"version":1,"id":"C1-4');
    const again = await JournalInbox.open(dir);
    expect((await again.pending()).map((e) => e.ts)).toEqual(["400.000001"]);
    expect((await again.accept(entry("400.000002"))).accepted).toBe(true);
    await again.close();
    const third = await JournalInbox.open(dir);
    expect((await third.pending()).map((e) => e.ts)).toEqual(["400.000001", "400.000002"]);
    await third.close();
  });

  it("stops on a damaged line in the middle, naming the file, and leaves the file untouched", async () => {
    const dir = tempDir();
    const inbox = await JournalInbox.open(dir);
    await inbox.accept(entry("400.000003"));
    await inbox.close();
    const file = join(dir, "inbox", "journal.jsonl");
    const damaged = `not json\n${readFileSync(file, "utf8")}`;
    writeFileSync(file, damaged);
    await expect(JournalInbox.open(dir)).rejects.toThrow(StoreCorruptError);
    await expect(JournalInbox.open(dir)).rejects.toThrow(file);
    expect(readFileSync(file, "utf8")).toBe(damaged);
  });

  it.skipIf(!canMountTmpfs())("with the disk full, a refused reply leaves no trace in memory or on disk", async () => {
    const disk = mountSmallDisk(256);
    try {
      const inbox = await JournalInbox.open(disk.dir);
      await inbox.accept(entry("500.000001"));
      disk.fill();
      const lost = entry("500.000002", { text: "x".repeat(8_000) });
      await expect(inbox.accept(lost)).rejects.toThrow(StoreWriteError);
      expect((await inbox.pending()).map((e) => e.ts)).toEqual(["500.000001"]);
      expect(await inbox.has(lost.id)).toBe(false);
      disk.free();
      // The next append is whole and the refused one never reappears.
      await inbox.accept(entry("500.000003"));
      await inbox.close();
      const again = await JournalInbox.open(disk.dir);
      expect((await again.pending()).map((e) => e.ts)).toEqual(["500.000001", "500.000003"]);
      await again.close();
    } finally {
      disk.unmount();
    }
  });
});
