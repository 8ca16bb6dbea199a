import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { StoreWriteError } from "../../src/engine/store/errors.js";
import { JsonDocs } from "../../src/infra/embedded/json-docs.js";
import { InterviewStore } from "../../src/engine/store/interview-store.js";
import { canMountTmpfs, mountSmallDisk } from "../support/tmpfs.js";

const listSchema = z.object({ items: z.array(z.string()) });
type List = z.infer<typeof listSchema>;
const empty = (): List => ({ items: [] });
const big = (label: string) => `${label}:${"x".repeat(20_000)}`;

describe.skipIf(!canMountTmpfs())("a document on a full disk (real tmpfs, ENOSPC from the kernel)", () => {
  it("a failed write() rolls memory back to the disk, so the change is never written by a later save", async () => {
    const disk = mountSmallDisk(512);
    try {
      const docs = new JsonDocs(disk.dir);
      const doc = await docs.open("list.json", listSchema, empty);
      doc.data.items.push("kept");
      await doc.write();
      disk.fill();
      doc.data.items.push(big("ghost"));
      await expect(doc.write()).rejects.toThrow(StoreWriteError);
      expect(doc.data.items).toEqual(["kept"]);
      disk.free();
      const again = await docs.open("list.json", listSchema, empty);
      again.data.items.push("later");
      await again.write();
      const onDisk = JSON.parse(readFileSync(join(disk.dir, "list.json"), "utf8")) as List;
      expect(onDisk.items).toEqual(["kept", "later"]);
      expect(await docs.peek("list.json", listSchema)).toEqual(onDisk);
    } finally {
      disk.unmount();
    }
  });

  it("a write requested before a failed one carries rolled-back changes and is refused too", async () => {
    const disk = mountSmallDisk(512);
    try {
      const docs = new JsonDocs(disk.dir);
      const doc = await docs.open("list.json", listSchema, empty);
      await doc.write();
      disk.fill();
      doc.data.items.push(big("first"));
      const first = doc.write();
      doc.data.items.push("second");
      const second = doc.write();
      await expect(first).rejects.toThrow(StoreWriteError);
      await expect(second).rejects.toThrow(StoreWriteError);
      expect(doc.data.items).toEqual([]);
    } finally {
      disk.unmount();
    }
  });

  it("a failed answer save keeps no ghost answer: not in memory, not on disk, not after the disk frees up", async () => {
    const disk = mountSmallDisk(512);
    try {
      const store = new InterviewStore(new JsonDocs(disk.dir));
      const critique = { questionId: "q", roundId: "r", grader: "offline" as const, overall: 3, signal: "hire" as const, dimensions: [], strengths: [], gaps: [], followUp: "", corrections: [], injectionSuspected: false, droppedQuotes: 0 };
      const answer = (text: string) => ({ userId: "U1", questionId: "q", roundId: "r", thread: { channel: "D1", ts: "1.1" }, turn: 0, text, createdAt: new Date().toISOString(), critique, hintsUsed: 0 });
      await store.saveAnswer(answer("first"));
      disk.fill();
      await expect(store.saveAnswer(answer(big("ghost")))).rejects.toThrow(StoreWriteError);
      expect((await store.peekUser("U1"))!.answers.map((a) => a.text)).toEqual(["first"]);
      disk.free();
      await store.recordAsked("U1", "q2", new Date());
      await store.saveAnswer(answer("third"));
      const fresh = new InterviewStore(new JsonDocs(disk.dir));
      expect((await fresh.peekUser("U1"))!.answers.map((a) => a.text)).toEqual(["first", "third"]);
    } finally {
      disk.unmount();
    }
  });
});

describe("concurrent updates of one document", () => {
  it("keeps every change and gives each caller its own result, a change that throws costing only itself", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "docs-"));
    try {
      const docs = new JsonDocs(dir);
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          docs.update("list.json", listSchema, empty, (draft) => {
            if (i === 7) throw new Error("refused");
            draft.items.push(`item ${i}`);
            return i;
          }),
        ),
      );
      expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
      expect(results.flatMap((r) => (r.status === "fulfilled" ? [r.value.result] : []))).toEqual(Array.from({ length: 50 }, (_, i) => i).filter((i) => i !== 7));
      const onDisk = JSON.parse(readFileSync(join(dir, "list.json"), "utf8")) as List;
      expect(onDisk.items).toHaveLength(49);
      expect(onDisk.items).not.toContain("item 7");
      expect(await new JsonDocs(dir).peek("list.json", listSchema)).toEqual(onDisk);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
