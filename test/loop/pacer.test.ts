import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { StoreCorruptError } from "../../src/engine/store/errors.js";
import { schemaForDocument } from "../../src/app/storage.js";
import { JsonDocs } from "../../src/infra/embedded/json-docs.js";
import { LoopPacer } from "../../src/engine/loop/pacer.js";
import type { DueRound } from "../../src/engine/loop/service.js";
import { ManualClock } from "../../src/engine/schedule/clock.js";
import { localParts } from "../../src/engine/schedule/zones.js";
import { harness, postRound, type Harness } from "./support.js";

const TZ = "America/Los_Angeles";
const quiet = { info: () => undefined, error: () => undefined };

/** What the Slack adapter does when a round falls due: post it if the loop is still waiting for it. */
function poster(h: Harness, posted: DueRound[]) {
  return (due: DueRound) =>
    h.loops.exclusive(due.userId, async () => {
      const loop = await h.loops.get(due.userId, due.loopId);
      const round = loop && h.loops.roundToPost(loop);
      if (!round) return;
      await postRound(h, due.userId, round);
      posted.push(due);
    });
}

async function finishRound(h: Harness, userId: string) {
  const loop = (await h.loops.active(userId))!;
  const round = loop.rounds[loop.currentRound]!;
  let step;
  for (let i = round.current; i < round.questions.length; i++) {
    const thread = (await h.interview.thread(round.thread!))!;
    const state = await h.loops.locate(thread);
    if (state?.kind !== "current") throw new Error("not current");
    step = await h.loops.advance(state);
  }
  if (step?.kind !== "round-ended") throw new Error(`expected the round to end, got ${step?.kind}`);
  return step;
}

describe("one round a day", () => {
  it("posts the next round the next day at the local time the loop started, across a DST change and a restart", async () => {
    // Saturday 8 March 2025, 09:30 in Los Angeles (PST, UTC-8); DST starts on Sunday the 9th.
    const clock = new ManualClock("2025-03-08T17:30:00Z");
    const now = () => clock.now();
    const h = harness({ now });
    const posted: DueRound[] = [];
    const pacer = new LoopPacer({ service: h.loops, onDue: poster(h, posted), clock, logger: quiet });
    await pacer.start();

    await h.loops.start({ userId: "U1", withHm: false, pacing: { kind: "daily", tz: TZ } });
    await postRound(h, "U1");
    await clock.advance(45 * 60_000);
    const ended = await finishRound(h, "U1");
    const dueAt = ended.next.dueAt!;
    // Sunday 09:30 local, which is now PDT (UTC-7).
    expect(dueAt.toISOString()).toBe("2025-03-09T16:30:00.000Z");
    expect(localParts(dueAt, TZ)).toMatchObject({ date: "2025-03-09", time: "09:30" });
    expect((await h.loops.list("U1"))[0]!.nextRoundDueAt).toBe(dueAt.toISOString());
    pacer.schedule({ userId: "U1", loopId: ended.loop.id, dueAt });

    await clock.advanceTo("2025-03-09T16:29:00Z");
    await pacer.idle();
    expect(posted).toHaveLength(0);
    await clock.advanceTo("2025-03-09T16:31:00Z");
    await pacer.idle();
    expect(posted).toHaveLength(1);
    const afterPost = (await h.loops.active("U1"))!;
    expect(afterPost.rounds[1]!.status).toBe("active");
    expect(afterPost.nextRoundDueAt).toBeUndefined();

    // Round 2 runs late, past the next day's slot: round 3 comes the day after that.
    await clock.advanceTo("2025-03-10T18:00:00Z");
    const late = await finishRound(h, "U1");
    expect(localParts(late.next.dueAt!, TZ)).toMatchObject({ date: "2025-03-11", time: "09:30" });
    pacer.stop();

    // The app is down when round 3 falls due; on start-up it is posted at once.
    await clock.advanceTo("2025-03-11T20:00:00Z");
    const restarted = harness({ dataDir: h.dataDir, now });
    const postedAfterRestart: DueRound[] = [];
    const pacer2 = new LoopPacer({ service: restarted.loops, onDue: poster(restarted, postedAfterRestart), clock, logger: quiet });
    await pacer2.start();
    await clock.advance(1);
    await pacer2.idle();
    expect(postedAfterRestart.map((d) => d.loopId)).toEqual([late.loop.id]);
    expect((await restarted.loops.active("U1"))!.rounds[2]!.status).toBe("active");
    pacer2.stop();
  });

  it("retries a post that failed, then gives up until the next start-up", async () => {
    const clock = new ManualClock("2025-06-02T16:00:00Z");
    const h = harness({ now: () => clock.now() });
    let calls = 0;
    const errors: string[] = [];
    const pacer = new LoopPacer({
      service: h.loops,
      onDue: async () => {
        calls++;
        throw new Error("slack is down");
      },
      clock,
      logger: { info: () => undefined, error: (m) => errors.push(m) },
      retryMs: 1_000,
      maxAttempts: 3,
    });
    await pacer.start();
    pacer.schedule({ userId: "U1", loopId: "L1", dueAt: new Date("2025-06-02T16:00:01Z") });
    await clock.advance(60_000);
    await pacer.idle();
    expect(calls).toBe(3);
    expect(errors.at(-1)).toContain("next start-up");
    pacer.stop();
  });

  it("refuses to start on a corrupt loop file, naming it, and leaves it as it was", async () => {
    const h = harness();
    const loop = await h.loops.start({ userId: "U1", withHm: false, pacing: { kind: "all" } });
    const file = join(h.dataDir, "loops", "U1", `${loop.id}.json`);
    writeFileSync(file, '{"version": 1, "id": "broken"}');
    // Start-up checks every document (createEngine) before the pacer reads any.
    const failure = await new JsonDocs(h.dataDir).verify(schemaForDocument).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StoreCorruptError);
    expect((failure as StoreCorruptError).file).toBe(file);
    expect(readFileSync(file, "utf8")).toBe('{"version": 1, "id": "broken"}');
  });
});
