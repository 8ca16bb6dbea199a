import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createGrader } from "../../src/engine/grading/grader.js";
import { contentPaths } from "../../src/engine/content/paths.js";
import { InterviewService } from "../../src/engine/interview/service.js";
import { LoopStore } from "../../src/engine/loop/loop-store.js";
import { LoopPacer } from "../../src/engine/loop/pacer.js";
import { LoopService, type DueRound } from "../../src/engine/loop/service.js";
import { ManualClock, settle } from "../../src/engine/schedule/clock.js";
import type { DocumentStore } from "../../src/engine/storage/documents.js";
import { InterviewStore } from "../../src/engine/store/interview-store.js";
import { JsonDocs } from "../../src/infra/embedded/json-docs.js";
import { waitFor } from "../schedule/support/fixtures.js";
import { bank } from "./support.js";

const TZ = "America/Los_Angeles";
const quiet = { info: () => undefined, error: () => undefined };
const PEOPLE = Array.from({ length: 12 }, (_, i) => `U${i}`);

/** One app instance's loop engine over the shared store (its own service, its own in-process locks). */
function instance(docs: DocumentStore, clock: ManualClock) {
  const now = () => clock.now();
  const interview = new InterviewService({ bank, store: new InterviewStore(docs), grader: createGrader({ promptsDir: contentPaths().promptsDir }), maxAnswerChars: 5_000, now });
  return new LoopService({ interview, store: new LoopStore(docs), now });
}

let ts = 5_000;
/** What the Slack adapter does when a round falls due: post it (here: record it) if the loop still waits for it. */
function poster(loops: LoopService, posted: Array<DueRound & { by: string }>, by: string) {
  return (due: DueRound) =>
    loops.exclusive(due.userId, async () => {
      const loop = await loops.get(due.userId, due.loopId);
      const round = loop && loops.roundToPost(loop);
      if (!round) return;
      posted.push({ ...due, by });
      await loops.roundPosted(round, { channel: `D-${due.userId}`, ts: `${++ts}.000100` });
    });
}

describe("paced loop rounds with several instances", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("two instances never post the same round, and a round claimed by a killed instance is taken over after its lease", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pacer-instances-"));
    dirs.push(dir);
    const docs = new JsonDocs(dir);
    const clock = new ManualClock("2025-06-02T16:00:00Z"); // 09:00 in Los Angeles
    const [a, b, c] = [instance(docs, clock), instance(docs, clock), instance(docs, clock)];
    const posted: Array<DueRound & { by: string }> = [];
    // Round 2 waits for tomorrow, as daily pacing leaves it: the victim's at 09:00, everyone else's at 09:05.
    const victim = PEOPLE[3]!;
    for (const userId of PEOPLE) {
      const loop = await a.start({ userId, withHm: false, pacing: { kind: "daily", tz: TZ } });
      const doc = (await a.store.open(userId, loop.id))!;
      doc.data.rounds[0]!.status = "done";
      doc.data.currentRound = 1;
      doc.data.nextRoundDueAt = userId === victim ? "2025-06-03T16:00:00.000Z" : "2025-06-03T16:05:00.000Z";
      await a.store.save(doc);
    }
    const multi = { multiInstance: true, leaseMs: 10 * 60_000, refreshMs: 60_000, clock, logger: quiet };
    // Instance a claims the victim's round and dies while posting it: its post never happens, nor does it come back.
    let killed = false;
    const pacerA = new LoopPacer({
      ...multi,
      instanceId: "a",
      service: a,
      onDue: () => {
        killed = true;
        return new Promise<void>(() => {});
      },
    });
    await pacerA.start();
    await clock.advanceTo("2025-06-03T16:00:01Z");
    await waitFor(() => killed);
    pacerA.stop();

    const pacerB = new LoopPacer({ ...multi, instanceId: "b", service: b, onDue: poster(b, posted, "b") });
    const pacerC = new LoopPacer({ ...multi, instanceId: "c", service: c, onDue: poster(c, posted, "c") });
    clock.quiesce = async () => {
      await settle();
      await pacerB.idle();
      await pacerC.idle();
    };
    await pacerB.start();
    await pacerC.start();
    // Both run every round due at 09:05: each is posted once. The victim's round is left alone while a's lease lives.
    await clock.advanceTo("2025-06-03T16:09:00Z");
    const once = (list: typeof posted) => {
      const perPerson = new Map<string, number>();
      for (const p of list) perPerson.set(p.userId, (perPerson.get(p.userId) ?? 0) + 1);
      return perPerson;
    };
    expect(posted.filter((p) => p.userId === victim)).toEqual([]);
    expect([...once(posted).values()]).toEqual(PEOPLE.filter((u) => u !== victim).map(() => 1));
    // a's lease runs out at 09:10: the round is taken over, once.
    await clock.advanceTo("2025-06-03T16:12:00Z");
    expect(posted.filter((p) => p.userId === victim)).toHaveLength(1);
    expect(PEOPLE.map((u) => once(posted).get(u))).toEqual(PEOPLE.map(() => 1));
    for (const userId of PEOPLE) expect((await b.active(userId))!.rounds[1]!.status).toBe("active");
    pacerB.stop();
    pacerC.stop();
  });
});
