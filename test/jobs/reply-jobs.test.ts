/**
 * Replies through a job queue (src/engine/inbox/reply-jobs.ts), on the real inbox journal and the
 * in-process queue: a job loads its entry, handles it and completes it; a job for an entry already
 * handled does nothing; recovery sends jobs for entries left pending (only those old enough, and not
 * twice), marked as possibly done.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ReplyJobs, type ReplyContext } from "../../src/engine/inbox/reply-jobs.js";
import type { InboxEntry } from "../../src/engine/inbox/records.js";
import { inProcessQueueSettings } from "../../src/app/jobs.js";
import { InProcessJobs } from "../../src/infra/embedded/in-process-jobs.js";
import { JournalInbox } from "../../src/infra/embedded/journal-inbox.js";

const silent = { info: () => undefined, error: () => undefined };

function entry(n: number, receivedAt: Date): InboxEntry {
  return { version: 1, id: `C1-${n}`, channel: "C1", ts: `${n}`, threadTs: "1", userId: `U${n}`, text: `answer ${n}`, receivedAt: receivedAt.toISOString() };
}

describe("reply jobs", () => {
  let dataDir: string;
  let inbox: JournalInbox;
  let jobs: InProcessJobs;
  let handled: { id: string; context: Omit<ReplyContext, "signal"> }[];
  let replies: ReplyJobs;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "reply-jobs-"));
    inbox = await JournalInbox.open(dataDir);
    jobs = new InProcessJobs({ queues: inProcessQueueSettings(), logger: silent });
    handled = [];
    replies = new ReplyJobs({ inbox, jobs, route: async (e) => (e.text.includes("code") ? "judge" : "grade"), logger: silent });
  });
  afterEach(async () => {
    replies.stopRecovery();
    await jobs.stop(0);
    await inbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const work = () =>
    replies.work(["grade", "judge"], async (e, context) => {
      handled.push({ id: e.id, context: { attempt: context.attempt, mayBeDone: context.mayBeDone } });
    });

  it("handles an accepted entry once and marks it handled", async () => {
    await work();
    const e = entry(1, new Date());
    await inbox.accept(e);
    await replies.send(e, "grade");
    await replies.idle();
    expect(handled).toEqual([{ id: e.id, context: { attempt: 1, mayBeDone: false } }]);
    expect(await inbox.pending()).toEqual([]);
    // Sent again after it was handled (a late recovery): nothing happens.
    await replies.send(e, "grade");
    await replies.idle();
    expect(handled).toHaveLength(1);
  });

  it("recovers only entries pending long enough, once each, as possibly done, on their question's queue", async () => {
    const now = Date.now();
    const old = entry(1, new Date(now - 120_000));
    const oldCode = { ...entry(2, new Date(now - 120_000)), text: "my code" };
    const fresh = entry(3, new Date(now - 5_000));
    for (const e of [old, oldCode, fresh]) await inbox.accept(e);
    // The old entry's job is still queued (no worker yet): recovery leaves it alone.
    await replies.send(old, "grade");
    expect(await replies.recover(60_000, now)).toBe(1);
    expect(await jobs.depth("judge")).toBe(1);
    expect(await jobs.depth("grade")).toBe(1);
    expect(await replies.recover(60_000, now)).toBe(0);
    await work();
    await replies.idle();
    expect(handled.map((h) => h.id).sort()).toEqual([old.id, oldCode.id]);
    expect(handled.find((h) => h.id === oldCode.id)!.context.mayBeDone).toBe(true);
    expect(handled.find((h) => h.id === old.id)!.context.mayBeDone).toBe(false);
    expect((await inbox.pending()).map((e) => e.id)).toEqual([fresh.id]);
  });
});
