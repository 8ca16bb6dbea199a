/**
 * The contract every DocumentStore keeps (lowdb files under DATA_DIR, PostgreSQL rows): run
 * `documentStoreContract` with a factory for the implementation under test.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { DocumentStore } from "../../src/engine/storage/documents.js";
import { InvalidDocumentPathError, StoreConflictError, StoreCorruptError } from "../../src/engine/store/errors.js";

export interface DocumentStoreUnderTest {
  store: DocumentStore;
  /**
   * The same data opened by another process (its own pool or files), for implementations that several
   * processes share; undefined for single-process ones (the concurrency checks then use `store` alone).
   */
  second?: DocumentStore;
  /** Whether a save from a stale open is refused (optimistic concurrency) rather than merged in memory. */
  refusesStaleWrites: boolean;
  /** Puts `data` at `path` bypassing every check, as a hand edit or a bug would. */
  corrupt(path: string, data: unknown): Promise<void>;
  cleanup(): Promise<void>;
}

const counterSchema = z.object({ n: z.number().int(), by: z.array(z.string()) });
type Counter = z.infer<typeof counterSchema>;
const emptyCounter = (): Counter => ({ n: 0, by: [] });
const listSchema = z.object({ items: z.array(z.string()) });
const emptyList = () => ({ items: [] as string[] });

export function documentStoreContract(name: string, make: () => Promise<DocumentStoreUnderTest>): void {
  describe(`DocumentStore contract: ${name}`, () => {
    const withSubject = (test: (s: DocumentStoreUnderTest) => Promise<void>) => async () => {
      const subject = await make();
      try {
        await test(subject);
      } finally {
        await subject.cleanup();
      }
    };

    it("round-trips a document through open/write, peek and a second store", withSubject(async (s) => {
      const doc = await s.store.open("users/U1.json", listSchema, emptyList);
      expect(doc.data).toEqual({ items: [] });
      doc.data.items.push("first", "ünïcødé ✓ \"quoted\" 'single'");
      await doc.write();
      doc.data.items.push("second");
      await doc.write();
      const expected = { items: ["first", "ünïcødé ✓ \"quoted\" 'single'", "second"] };
      expect(await s.store.peek("users/U1.json", listSchema)).toEqual(expected);
      expect(await (s.second ?? s.store).peek("users/U1.json", listSchema)).toEqual(expected);
    }));

    it("peek of a missing document is undefined and creates nothing; open alone saves nothing", withSubject(async (s) => {
      expect(await s.store.peek("users/nobody.json", listSchema)).toBeUndefined();
      expect(await s.store.list("users/")).toEqual([]);
      await s.store.open("users/opened-only.json", listSchema, emptyList);
      expect(await (s.second ?? s.store).list("users/")).toEqual([]);
    }));

    it("50 concurrent increments (from two processes where supported) all land, none lost", withSubject(async (s) => {
      const stores = [s.store, s.second ?? s.store];
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          stores[i % 2]!.update("counters/c.json", counterSchema, emptyCounter, (draft) => {
            draft.n += 1;
            draft.by.push(`w${i}`);
            return draft.n;
          }),
        ),
      );
      const final = await s.store.peek("counters/c.json", counterSchema);
      expect(final?.n).toBe(50);
      expect(new Set(final?.by).size).toBe(50);
      // Each update saw a different count: no two read the same state.
      expect(new Set(results.map((r) => r.result)).size).toBe(50);
    }));

    it("an update whose change throws saves nothing and rejects with that error", withSubject(async (s) => {
      await s.store.update("counters/t.json", counterSchema, emptyCounter, (d) => void (d.n = 1));
      await expect(
        s.store.update("counters/t.json", counterSchema, emptyCounter, () => {
          throw new Error("refused by the domain");
        }),
      ).rejects.toThrow("refused by the domain");
      expect((await s.store.peek("counters/t.json", counterSchema))?.n).toBe(1);
    }));

    it("a save from a document opened before another save never loses that save", withSubject(async (s) => {
      await s.store.update("users/U2.json", listSchema, emptyList, (d) => void d.items.push("base"));
      const stale = await s.store.open("users/U2.json", listSchema, emptyList);
      await (s.second ?? s.store).update("users/U2.json", listSchema, emptyList, (d) => void d.items.push("by another"));
      stale.data.items.push("by the stale one");
      const outcome = await stale.write().then(
        () => "saved",
        (error: unknown) => error,
      );
      const final = await s.store.peek("users/U2.json", listSchema);
      expect(final?.items).toContain("by another");
      if (s.refusesStaleWrites) {
        expect(outcome).toBeInstanceOf(StoreConflictError);
        expect(final?.items).toEqual(["base", "by another"]);
        // Nothing of the refused change stays in memory either; opening again and redoing it works.
        expect(stale.data.items).not.toContain("by the stale one");
        const again = await s.store.open("users/U2.json", listSchema, emptyList);
        again.data.items.push("redone");
        await again.write();
        expect((await s.store.peek("users/U2.json", listSchema))?.items).toEqual(["base", "by another", "redone"]);
      } else {
        expect(outcome).toBe("saved");
        expect(final?.items).toEqual(["base", "by another", "by the stale one"]);
      }
    }));

    it("within one store (one process), opened copies share changes: an update made meanwhile is kept by the next save", withSubject(async (s) => {
      await s.store.update("users/U3.json", listSchema, emptyList, (d) => void d.items.push("base"));
      const first = await s.store.open("users/U3.json", listSchema, emptyList);
      const second = await s.store.open("users/U3.json", listSchema, emptyList);
      await s.store.update("users/U3.json", listSchema, emptyList, (d) => void d.items.push("update"));
      expect(first.data.items).toEqual(["base", "update"]);
      first.data.items.push("first");
      await first.write();
      expect(second.data.items).toEqual(["base", "update", "first"]);
      second.data.items.push("second");
      await second.write();
      expect(await (s.second ?? s.store).peek("users/U3.json", listSchema)).toEqual({ items: ["base", "update", "first", "second"] });
    }));

    it("two first writers of a missing document through open/write: one is refused or both land, never one lost silently", withSubject(async (s) => {
      const a = await s.store.open("users/new.json", listSchema, emptyList);
      const b = await (s.second ?? s.store).open("users/new.json", listSchema, emptyList);
      a.data.items.push("a");
      b.data.items.push("b");
      const outcomes = await Promise.all([a.write(), b.write()].map((p) => p.then(() => "saved", (e: unknown) => e)));
      const final = await s.store.peek("users/new.json", listSchema);
      const saved = outcomes.filter((o) => o === "saved").length;
      if (s.refusesStaleWrites) {
        expect(saved).toBe(1);
        expect(outcomes.find((o) => o !== "saved")).toBeInstanceOf(StoreConflictError);
        expect(final?.items).toHaveLength(1);
      } else {
        expect(final?.items.sort()).toEqual(["a", "b"]);
      }
    }));

    it("lists by prefix, exactly (wildcard characters in a prefix match themselves)", withSubject(async (s) => {
      for (const path of ["schedule/users/U1.json", "schedule/users/U2.json", "schedule/channels/C1.json", "users/U1.json", "threads/C1/1.2.json", "loops/U_1/a%b.json"]) {
        await s.store.update(path, listSchema, emptyList, (d) => void d.items.push(path));
      }
      expect((await s.store.list("schedule/users/")).sort()).toEqual(["schedule/users/U1.json", "schedule/users/U2.json"]);
      expect((await s.store.list("schedule/")).sort()).toHaveLength(3);
      expect(await s.store.list("threads/C1/")).toEqual(["threads/C1/1.2.json"]);
      expect((await s.store.list("")).sort()).toHaveLength(6);
      expect(await s.store.list("schedule/users/U%")).toEqual([]);
      expect(await s.store.list("loops/U_1/a%")).toEqual(["loops/U_1/a%b.json"]);
      expect(await s.store.list("nothing/")).toEqual([]);
      expect(await s.store.list("users/\u0000")).toEqual([]);
    }));

    it("removes a document once: the second remove is false and peek is undefined", withSubject(async (s) => {
      await s.store.update("users/gone.json", listSchema, emptyList, (d) => void d.items.push("x"));
      expect(await s.store.remove("users/gone.json")).toBe(true);
      expect(await s.store.remove("users/gone.json")).toBe(false);
      expect(await s.store.peek("users/gone.json", listSchema)).toBeUndefined();
      expect(await s.store.list("users/")).toEqual([]);
    }));

    it("keeps workspaces apart: nothing of workspace A is reachable from B or from the root", withSubject(async (s) => {
      const a = s.store.forWorkspace("T_A");
      const b = s.store.forWorkspace("T_B");
      await a.update("users/U1.json", listSchema, emptyList, (d) => void d.items.push("A's secret"));
      expect(await a.peek("users/U1.json", listSchema)).toEqual({ items: ["A's secret"] });
      expect(await b.peek("users/U1.json", listSchema)).toBeUndefined();
      expect(await s.store.peek("users/U1.json", listSchema)).toBeUndefined();
      expect(await b.list("")).toEqual([]);
      expect(await s.store.list("")).toEqual([]);
      expect(await b.remove("users/U1.json")).toBe(false);
      // Paths that would name A's data from elsewhere find nothing (or are refused).
      for (const path of ["workspaces/T_A/users/U1.json", "../T_A/users/U1.json", "T_A/users/U1.json"]) {
        const seen = await s.store.peek(path, listSchema).catch((e: unknown) => (e instanceof InvalidDocumentPathError ? undefined : Promise.reject(e)));
        expect(seen).toBeUndefined();
        const fromB = await b.peek(path, listSchema).catch((e: unknown) => (e instanceof InvalidDocumentPathError ? undefined : Promise.reject(e)));
        expect(fromB).toBeUndefined();
      }
      // A workspace whose id contains a separator is still its own.
      const nested = s.store.forWorkspace("T_A/users");
      expect(await nested.list("")).toEqual([]);
      // The same workspace opened again sees its data.
      expect(await s.store.forWorkspace("T_A").list("")).toEqual(["users/U1.json"]);
      expect(await (s.second ?? s.store).forWorkspace("T_A").peek("users/U1.json", listSchema)).toEqual({ items: ["A's secret"] });
    }));

    it("verify counts the documents and stops on a bad one, naming it", withSubject(async (s) => {
      await s.store.update("users/good.json", listSchema, emptyList, (d) => void d.items.push("ok"));
      await s.store.update("users/bad.json", listSchema, emptyList, (d) => void d.items.push("ok"));
      const schemaFor = (path: string) => (path.startsWith("users/") ? listSchema : undefined);
      expect(await s.store.verify(schemaFor)).toEqual({ documents: 2 });
      await s.corrupt("users/bad.json", { items: "not a list" });
      const failure = await s.store.verify(schemaFor).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(StoreCorruptError);
      expect((failure as Error).message).toContain("users/bad.json");
      expect((failure as Error).message).not.toContain("users/good.json");
      // Nothing was reset.
      expect(await s.store.peek("users/good.json", listSchema)).toEqual({ items: ["ok"] });
    }));

    it("keeps a document whose text holds NUL, unpaired surrogates and escape-like text; the rest exactly", withSubject(async (s) => {
      const text = "a\u0000b \ud800 c \\u0000 literal 😀 \"q\" 'q'";
      await s.store.update("users/odd.json", listSchema, emptyList, (d) => void d.items.push(text));
      const doc = await s.store.open("users/odd.json", listSchema, emptyList);
      doc.data.items.push(`${text} again`);
      await doc.write();
      const saved = (await (s.second ?? s.store).peek("users/odd.json", listSchema))!.items;
      expect(saved).toHaveLength(2);
      // NUL and a lone surrogate are kept or become U+FFFD (a database cannot hold them); nothing else changes.
      const normal = (v: string) => v.replace(/\u0000|[\ud800-\udbff](?![\udc00-\udfff])/g, "\ufffd");
      expect(saved.map(normal)).toEqual([normal(text), normal(`${text} again`)]);
      expect(saved[0]).toContain("\\u0000 literal 😀 \"q\" 'q'");
    }));

    it("refuses hostile paths without touching anything, and stores quotes as plain characters", withSubject(async (s) => {
      await s.store.update("users/U1.json", listSchema, emptyList, (d) => void d.items.push("kept"));
      const hostile = ["../escape.json", "users/../../etc/passwd.json", "/etc/passwd.json", "users/\u0000.json", "users\\..\\x.json", "", "users//x.json", "./users/U1.json", "users/U1"];
      for (const path of hostile) {
        await expect(s.store.update(path, listSchema, emptyList, (d) => void d.items.push("evil")), JSON.stringify(path)).rejects.toThrow(InvalidDocumentPathError);
        await expect(s.store.open(path, listSchema, emptyList)).rejects.toThrow(InvalidDocumentPathError);
        await expect(s.store.peek(path, listSchema)).rejects.toThrow(InvalidDocumentPathError);
        await expect(s.store.remove(path)).rejects.toThrow(InvalidDocumentPathError);
      }
      const injection = "users/x'); DROP TABLE documents; --\".json";
      await s.store.update(injection, listSchema, emptyList, (d) => void d.items.push("just a name"));
      expect(await s.store.peek(injection, listSchema)).toEqual({ items: ["just a name"] });
      expect((await s.store.list("users/")).sort()).toEqual([injection, "users/U1.json"].sort());
      expect(await s.store.peek("users/U1.json", listSchema)).toEqual({ items: ["kept"] });
      // A hostile workspace id stays inside the store as well.
      const evil = s.store.forWorkspace("../../T'; --");
      await evil.update("users/U1.json", listSchema, emptyList, (d) => void d.items.push("evil"));
      expect(await s.store.peek("users/U1.json", listSchema)).toEqual({ items: ["kept"] });
      expect(await s.store.forWorkspace("../../T'; --").peek("users/U1.json", listSchema)).toEqual({ items: ["evil"] });
    }));
  });
}
