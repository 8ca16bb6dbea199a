import { afterEach, describe, expect, it } from "vitest";
import type { JobContext, JobQueue, QueueName } from "../../src/engine/jobs/ports.js";

export interface QueueUnderTest {
  queue: JobQueue;
  /**
   * A second worker on the same jobs (a new process on the database). Undefined for a queue whose jobs
   * live in one process's memory: there the owner's durable record brings a job back at the next start.
   */
  another?: () => Promise<JobQueue>;
}

/** Every queue runs with this concurrency in the contract (the bound test relies on it). */
export const CONTRACT_CONCURRENCY = 2;

type Factory = () => Promise<QueueUnderTest>;

const until = async (check: () => boolean | Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 25));
  }
};

interface Seen {
  data: { n: number };
  context: Pick<JobContext, "attempt" | "mayBeDone">;
}

/** The behaviour every JobQueue implementation owes the engine (see src/engine/jobs/ports.ts). */
export function jobQueueContract(name: string, factory: Factory, options: { skip?: boolean } = {}): void {
  describe.skipIf(options.skip)(`JobQueue contract: ${name}`, () => {
    const open: JobQueue[] = [];
    const start = async () => {
      const under = await factory();
      open.push(under.queue);
      return under;
    };
    afterEach(async () => {
      for (const queue of open.splice(0)) await queue.stop(0);
    });

    it("runs a job once, first attempt, with its data", async () => {
      const { queue } = await start();
      const seen: Seen[] = [];
      await queue.work<{ n: number }>("grade", async (data, context) => void seen.push({ data, context }));
      expect(await queue.send("grade", { n: 1 })).toEqual({ queued: true });
      await until(() => seen.length === 1);
      await until(async () => (await queue.depth("grade")) === 0);
      await new Promise((r) => setTimeout(r, 300));
      expect(seen).toEqual([{ data: { n: 1 }, context: { attempt: 1, mayBeDone: false } }].map((s) => ({ data: s.data, context: expect.objectContaining(s.context) })));
    });

    it("tries a job that threw again, saying it may have acted", async () => {
      const { queue } = await start();
      const attempts: Seen["context"][] = [];
      await queue.work<{ n: number }>("judge", async (_data, context) => {
        attempts.push({ attempt: context.attempt, mayBeDone: context.mayBeDone });
        if (attempts.length === 1) throw new Error("the LLM timed out");
      });
      await queue.send("judge", { n: 2 });
      await until(() => attempts.length === 2);
      await new Promise((r) => setTimeout(r, 300));
      expect(attempts).toEqual([
        { attempt: 1, mayBeDone: false },
        { attempt: 2, mayBeDone: true },
      ]);
    });

    it("refuses a second job with the same key while the first is queued or running, and takes it once that finished", async () => {
      const { queue } = await start();
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const runs: number[] = [];
      expect(await queue.send("grade", { n: 1 }, { key: "reply-1" })).toEqual({ queued: true });
      expect(await queue.send("grade", { n: 2 }, { key: "reply-1" })).toEqual({ queued: false });
      // Another key, or another queue with the same key, is another job.
      expect(await queue.send("judge", { n: 3 }, { key: "reply-1" })).toEqual({ queued: true });
      await queue.work<{ n: number }>("grade", async (data) => {
        runs.push(data.n);
        await gate;
      });
      await until(() => runs.length === 1);
      expect(await queue.send("grade", { n: 4 }, { key: "reply-1" })).toEqual({ queued: false });
      release();
      await until(async () => (await queue.depth("grade")) === 0);
      expect(await queue.send("grade", { n: 5 }, { key: "reply-1" })).toEqual({ queued: true });
      await until(() => runs.length === 2);
      expect(runs).toEqual([1, 5]);
    });

    it("never runs more jobs of a queue at once than its concurrency, and runs them all", async () => {
      const { queue } = await start();
      let now = 0;
      let peak = 0;
      const done: number[] = [];
      for (let n = 0; n < 7; n++) await queue.send("grade", { n });
      await queue.work<{ n: number }>("grade", async (data) => {
        now += 1;
        peak = Math.max(peak, now);
        await new Promise((r) => setTimeout(r, 150));
        now -= 1;
        done.push(data.n);
      });
      await until(() => done.length === 7);
      expect(peak).toBe(CONTRACT_CONCURRENCY);
      expect([...done].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    });

    it("counts queued and running jobs per queue", async () => {
      const { queue } = await start();
      await queue.send("deliver", { n: 1 });
      await queue.send("deliver", { n: 2 });
      await queue.send("loop", { n: 3 });
      expect(await queue.depth("deliver")).toBe(2);
      expect(await queue.depth("loop")).toBe(1);
      expect(await queue.depth("grade")).toBe(0);
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let started = 0;
      await queue.work("deliver", async () => {
        started += 1;
        await gate;
      });
      await until(() => started === 2);
      expect(await queue.depth("deliver")).toBe(2);
      release();
      await until(async () => (await queue.depth("deliver")) === 0);
    });

    it("on stop, tells a job that outlives the grace period to stop and hands it back", async () => {
      const under = await start();
      const signals: AbortSignal[] = [];
      await under.queue.work<{ n: number }>("grade", async (_data, context) => {
        signals.push(context.signal);
        await new Promise<void>((resolve) => context.signal.addEventListener("abort", () => resolve()));
        throw context.signal.reason as Error;
      });
      await under.queue.send("grade", { n: 9 }, { key: "slow" });
      await until(() => signals.length === 1);
      const { unfinished } = await under.queue.stop(200);
      open.splice(open.indexOf(under.queue), 1);
      expect(unfinished).toBe(1);
      expect(signals[0]!.aborted).toBe(true);
      // Nothing more is taken after a stop.
      expect((await under.queue.send("grade", { n: 10 }).catch(() => ({ queued: false }))).queued).toBe(false);
      if (!under.another) return;
      const next = await under.another();
      open.push(next);
      const seen: Seen[] = [];
      await next.work<{ n: number }>("grade", async (data, context) => void seen.push({ data, context }));
      await until(() => seen.length === 1, 30_000);
      expect(seen[0]!.data).toEqual({ n: 9 });
      expect(seen[0]!.context.mayBeDone).toBe(true);
    });
  });
}

export const ALL_QUEUES: QueueName[] = ["grade", "judge", "deliver", "loop"];
