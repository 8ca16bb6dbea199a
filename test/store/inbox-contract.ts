/**
 * The contract every Inbox / HandledEvents implementation keeps (the embedded journal today, a database
 * later): run `inboxContract` with a factory for the implementation under test.
 */
import { describe, expect, it } from "vitest";
import type { HandledEvents, Inbox } from "../../src/engine/inbox/ports.js";
import { inboxId, type InboxEntry } from "../../src/engine/inbox/records.js";

export interface InboxUnderTest {
  inbox: Inbox;
  handled: HandledEvents;
  /** The same storage opened again, as a restarted process would. */
  reopen(): Promise<{ inbox: Inbox; handled: HandledEvents }>;
  cleanup(): Promise<void>;
}

export function entry(ts: string, overrides: Partial<InboxEntry> = {}): InboxEntry {
  return {
    version: 1,
    id: inboxId("C1", ts),
    channel: "C1",
    ts,
    threadTs: "100.000001",
    userId: "U1",
    text: `answer at ${ts}`,
    receivedAt: new Date(Number(ts.split(".")[0]) * 1000).toISOString(),
    ...overrides,
  };
}

export function inboxContract(name: string, make: () => Promise<InboxUnderTest>): void {
  describe(`Inbox contract: ${name}`, () => {
    const withSubject = (test: (s: InboxUnderTest) => Promise<void>) => async () => {
      const subject = await make();
      try {
        await test(subject);
      } finally {
        await subject.cleanup();
      }
    };

    it("keeps an accepted reply pending until completed, across a reopen", withSubject(async (s) => {
      const e = entry("200.000001", { code: { language: "python", source: "print(1)" } });
      expect(await s.inbox.accept(e)).toEqual({ accepted: true });
      expect(await s.inbox.pending()).toEqual([e]);
      expect(await s.inbox.pendingEntry(e.id)).toEqual(e);
      const again = await s.reopen();
      expect(await again.inbox.pending()).toEqual([e]);
      await again.inbox.complete(e.id);
      expect(await again.inbox.pending()).toEqual([]);
      expect(await again.inbox.pendingEntry(e.id)).toBeUndefined();
      const third = await s.reopen();
      expect(await third.inbox.pending()).toEqual([]);
    }));

    it("accepts one message once: again while pending, after completion, and after a reopen", withSubject(async (s) => {
      const e = entry("200.000002");
      expect((await s.inbox.accept(e)).accepted).toBe(true);
      expect((await s.inbox.accept({ ...e, text: "the retry" })).accepted).toBe(false);
      await s.inbox.complete(e.id);
      expect((await s.inbox.accept(e)).accepted).toBe(false);
      const again = await s.reopen();
      expect((await again.inbox.accept(e)).accepted).toBe(false);
      expect(await again.inbox.pending()).toEqual([]);
    }));

    it("of concurrent deliveries of one message, accepts exactly one", withSubject(async (s) => {
      const e = entry("200.000003");
      const results = await Promise.all(Array.from({ length: 20 }, () => s.inbox.accept(e)));
      expect(results.filter((r) => r.accepted)).toHaveLength(1);
      expect(await s.inbox.pending()).toHaveLength(1);
    }));

    it("returns pending replies oldest first, whatever the order they were stored in", withSubject(async (s) => {
      const late = entry("300.000001");
      const early = entry("250.000001");
      await Promise.all([s.inbox.accept(late), s.inbox.accept(early)]);
      expect((await s.inbox.pending()).map((p) => p.id)).toEqual([early.id, late.id]);
    }));

    it("completing twice, or completing an unknown id, is harmless", withSubject(async (s) => {
      const e = entry("200.000004");
      await s.inbox.accept(e);
      await s.inbox.complete(e.id);
      await s.inbox.complete(e.id);
      await s.inbox.complete("C1-never.seen");
      expect(await s.inbox.pending()).toEqual([]);
    }));

    it("keeps a reply whose text holds NUL or an unpaired surrogate (U+FFFD where storage cannot hold them)", withSubject(async (s) => {
      const e = entry("200.000005", { text: "before\u0000after \ud83d end 😀" });
      expect((await s.inbox.accept(e)).accepted).toBe(true);
      const [stored] = await (await s.reopen()).inbox.pending();
      expect(stored?.id).toBe(e.id);
      expect(stored?.text.replace(/\u0000|\ud83d(?![\udc00-\udfff])/g, "\ufffd")).toBe("before\ufffdafter \ufffd end 😀");
    }));

    it("claims a handled id once, remembers it across a reopen, and forgets it after pruning", withSubject(async (s) => {
      const hourAgo = new Date(Date.now() - 3_600_000);
      const claims = await Promise.all(Array.from({ length: 10 }, () => s.handled.claim("Ev1", hourAgo)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await s.handled.has("Ev1")).toBe(true);
      expect(await s.handled.has("Ev2")).toBe(false);
      const again = await s.reopen();
      expect(await again.handled.claim("Ev1")).toBe(false);
      expect(await again.handled.claim("Ev2", new Date())).toBe(true);
      expect(await again.handled.prune(new Date(Date.now() - 1_800_000))).toBeGreaterThanOrEqual(1);
      expect(await again.handled.has("Ev1")).toBe(false);
      expect(await again.handled.has("Ev2")).toBe(true);
    }));
  });
}
