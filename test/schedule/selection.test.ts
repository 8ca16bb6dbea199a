import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/engine/schedule/clock.js";
import { ScheduleNotAllowedError } from "../../src/engine/schedule/errors.js";
import { pickScheduledQuestion, weighCandidates } from "../../src/engine/schedule/selection.js";
import { EVERY_DAY } from "../../src/engine/schedule/weekdays.js";
import type { AnswerRecord } from "../../src/engine/store/records.js";
import { FakeWorkspace } from "./support/fake-deliverer.js";
import { buildScheduler, gradedAnswer, makeBank, seeded, tempDir } from "./support/fixtures.js";

const bank = makeBank();
const [alpha, beta, gamma] = bank.rounds as [typeof bank.rounds[0], typeof bank.rounds[0], typeof bank.rounds[0]];

function draw(answers: AnswerRecord[], n: number, focus: Parameters<typeof pickScheduledQuestion>[0]["focus"] = []) {
  const random = seeded(42);
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const ref = pickScheduledQuestion({ rounds: bank.rounds, asked: [], answers, focus, random });
    counts.set(ref.round.id, (counts.get(ref.round.id) ?? 0) + 1);
  }
  return counts;
}

describe("scheduled question selection", () => {
  it("never repeats within a round until its pool is exhausted, then starts with the oldest", () => {
    const random = seeded(1);
    const asked: Array<{ questionId: string; at: string }> = [];
    const picks: string[] = [];
    for (let i = 0; i < alpha.questions.length + 2; i++) {
      const ref = pickScheduledQuestion({ rounds: [alpha], asked, answers: [], focus: [], random });
      picks.push(ref.question.id);
      asked.push({ questionId: ref.question.id, at: `2025-06-${String(i + 1).padStart(2, "0")}` });
    }
    const firstCycle = picks.slice(0, alpha.questions.length);
    expect(new Set(firstCycle).size).toBe(alpha.questions.length);
    expect(picks[alpha.questions.length]).toBe(firstCycle[0]);
    expect(picks[alpha.questions.length + 1]).toBe(firstCycle[1]);
  });

  it("favours the round where the person scores lowest, without excluding the others", () => {
    const answers = [
      ...[0, 1].map((i) => gradedAnswer({ userId: "U1", round: alpha, questionIndex: i, scores: Object.fromEntries(alpha.rubric.map((d) => [d.id, 1.5])), at: `2025-06-0${i + 1}T10:00:00Z` })),
      ...[0, 1].map((i) => gradedAnswer({ userId: "U1", round: beta, questionIndex: i, scores: Object.fromEntries(beta.rubric.map((d) => [d.id, 3.8])), at: `2025-06-0${i + 3}T10:00:00Z` })),
      ...[0, 1].map((i) => gradedAnswer({ userId: "U1", round: gamma, questionIndex: i, scores: Object.fromEntries(gamma.rubric.map((d) => [d.id, 3])), at: `2025-06-0${i + 5}T10:00:00Z` })),
    ];
    const counts = draw(answers, 2_000);
    const a = counts.get("alpha") ?? 0;
    const b = counts.get("beta") ?? 0;
    const g = counts.get("gamma") ?? 0;
    expect(a).toBeGreaterThan(g);
    expect(g).toBeGreaterThan(b);
    expect(a).toBeGreaterThan(5 * b);
    expect(b).toBeGreaterThan(0);
  });

  it("within a round, favours questions on the weakest rubric dimension", () => {
    const weak = alpha.rubric[2]!.id;
    const scores = Object.fromEntries(alpha.rubric.map((d) => [d.id, d.id === weak ? 1 : 3.5]));
    const answers = [gradedAnswer({ userId: "U1", round: alpha, questionIndex: 0, scores, at: "2025-06-01T10:00:00Z" })];
    const weights = weighCandidates({ rounds: [alpha], asked: [{ questionId: alpha.questions[0]!.id, at: "x" }], answers, focus: [] });
    const onWeak = weights.filter((w) => w.ref.question.keyPoints.some((k) => k.dimension === weak));
    const others = weights.filter((w) => !w.ref.question.keyPoints.some((k) => k.dimension === weak));
    expect(onWeak.length).toBeGreaterThan(0);
    expect(Math.min(...onWeak.map((w) => w.weight))).toBeGreaterThan(2 * Math.max(...others.map((w) => w.weight)));
  });

  it("a focus request from another feature raises its round's share", () => {
    const without = draw([], 1_000).get("gamma") ?? 0;
    const withFocus =
      draw([], 1_000, [{ roundId: "gamma", source: "loop-debrief", addedAt: "2025-06-01T00:00:00Z", served: 0 }]).get("gamma") ?? 0;
    expect(withFocus).toBeGreaterThan(1.8 * without);
  });
});

describe("selection through the scheduler", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(async () => cleanup());

  it("delivers only the subscription's rounds, with no repeats across days and restarts", async () => {
    const clock = new ManualClock("2025-06-01T12:00:00Z");
    const workspace = new FakeWorkspace(clock);
    const zones = new Map([["U1", "Europe/Paris"]]);
    let current = workspace;
    let h = buildScheduler({ dataDir: dir, clock, deliverer: current, zones });
    await h.scheduler.start();
    await h.scheduler.subscribe({ key: { kind: "user", id: "U1" }, actor: { userId: "U1" }, time: { hour: 18, minute: 0 }, days: EVERY_DAY, rounds: ["alpha", "gamma"] });
    const poolSize = alpha.questions.length + gamma.questions.length;
    for (let day = 0; day < poolSize; day++) {
      await clock.advance(86_400_000);
      if (day === 4) {
        h.scheduler.stop();
        current = current.restarted();
        h = buildScheduler({ dataDir: dir, clock, deliverer: current, zones });
        await h.scheduler.start();
      }
    }
    const questionIds = current.messagesFor("U1").map((m) => m.questionId);
    expect(questionIds).toHaveLength(poolSize);
    expect(new Set(questionIds).size).toBe(poolSize);
    expect(questionIds.every((id) => id.startsWith("alpha-") || id.startsWith("gamma-"))).toBe(true);
    h.scheduler.stop();
  });

  it("a channel's questions follow the channel's own history, and only its owner or an admin may change it", async () => {
    const clock = new ManualClock("2025-06-02T12:00:00Z");
    const workspace = new FakeWorkspace(clock);
    const zones = new Map([["UOWNER", "America/New_York"], ["UOTHER", "Asia/Tokyo"], ["UADMIN", "UTC"]]);
    const { scheduler, interview } = buildScheduler({ dataDir: dir, clock, deliverer: workspace, zones, options: { adminUserIds: ["UADMIN"] } });
    await scheduler.start();
    const key = { kind: "channel" as const, id: "C1" };
    const view = await scheduler.subscribe({ key, actor: { userId: "UOWNER" }, time: { hour: 9, minute: 30 }, days: EVERY_DAY, rounds: ["beta"] });
    expect(view.tz).toBe("America/New_York");
    expect(view.subscription?.ownerId).toBe("UOWNER");

    await expect(scheduler.pause(key, { userId: "UOTHER" }, 2)).rejects.toBeInstanceOf(ScheduleNotAllowedError);
    await expect(scheduler.unsubscribe(key, { userId: "UOTHER" })).rejects.toBeInstanceOf(ScheduleNotAllowedError);
    await scheduler.pause(key, { userId: "UADMIN" }, 1); // ADMIN_USER_IDS
    await scheduler.resume(key, { userId: "UOTHER", isWorkspaceAdmin: true }); // workspace admin

    await clock.advanceTo("2025-06-07T14:00:00Z");
    const posts = workspace.messagesFor("C1");
    expect(posts.map((m) => m.slot)).toEqual(["2025-06-02T09:30", "2025-06-03T09:30", "2025-06-04T09:30", "2025-06-05T09:30", "2025-06-06T09:30", "2025-06-07T09:30"]);
    expect(new Set(posts.map((m) => m.questionId)).size).toBe(beta.questions.length);
    // The channel's questions are not counted as asked to its owner personally.
    expect((await interview.store.peekUser("UOWNER"))?.asked ?? []).toEqual([]);
    // Replies in the channel thread are recognised as answers.
    expect((await interview.thread({ channel: posts[0]!.channel, ts: posts[0]!.ts }))?.audience).toBe("channel");
    scheduler.stop();
  });
});
