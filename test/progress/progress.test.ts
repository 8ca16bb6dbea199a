import { describe, expect, it } from "vitest";
import { buildProgress } from "../../src/engine/progress/report.js";
import { sparkline, trend } from "../../src/engine/progress/sparkline.js";
import { computeStreak } from "../../src/engine/progress/streak.js";
import { gradedAnswer, makeBank } from "../schedule/support/fixtures.js";

const bank = makeBank();
const [alpha, beta] = bank.rounds as [typeof bank.rounds[0], typeof bank.rounds[0]];
const uniform = (round: typeof alpha, score: number) => Object.fromEntries(round.rubric.map((d) => [d.id, score]));

describe("sparkline", () => {
  it("draws scores on the fixed 1–4 scale", () => {
    expect(sparkline([1, 2.5, 4])).toBe("▁▅█");
    expect(sparkline([4, 4, 4])).toBe("███");
    expect(sparkline([1, 1])).toBe("▁▁");
    expect(sparkline([])).toBe("");
  });

  it("calls a trend only beyond a quarter point", () => {
    expect(trend([1, 1.5, 3, 3.5])).toBe("up");
    expect(trend([3, 3.1, 2.9, 3.05])).toBe("flat");
    expect(trend([4, 3.5, 2, 1.5])).toBe("down");
    expect(trend([3])).toBe("new");
  });
});

describe("streak", () => {
  it("counts the person's own calendar days", () => {
    const tz = "America/New_York";
    // 23:30 in New York on 1, 2 and 3 June is already the next day in UTC.
    const answers = ["2025-06-02T03:30:00Z", "2025-06-03T03:30:00Z", "2025-06-04T03:30:00Z"].map((d) => new Date(d));
    expect(computeStreak(answers, tz, new Date("2025-06-04T12:00:00Z"))).toEqual({ current: 3, best: 3, answeredToday: false });
    expect(computeStreak(answers, "UTC", new Date("2025-06-04T12:00:00Z"))).toEqual({ current: 3, best: 3, answeredToday: true });
  });

  it("survives until the end of today and breaks after a missed day", () => {
    const answers = ["2025-06-01T10:00:00Z", "2025-06-02T10:00:00Z", "2025-06-05T10:00:00Z"].map((d) => new Date(d));
    expect(computeStreak(answers, "UTC", new Date("2025-06-06T08:00:00Z")).current).toBe(1);
    expect(computeStreak(answers, "UTC", new Date("2025-06-07T08:00:00Z")).current).toBe(0);
    expect(computeStreak(answers, "UTC", new Date("2025-06-07T08:00:00Z")).best).toBe(2);
  });
});

describe("progress report", () => {
  it("summarises rounds, weakest dimensions with their latest evidence, streak and the next question", () => {
    const weakDim = alpha.rubric[1]!.id;
    const answers = [
      gradedAnswer({ userId: "U1", round: alpha, questionIndex: 0, scores: { ...uniform(alpha, 2), [weakDim]: 1 }, at: "2025-06-01T10:00:00Z", evidence: { [weakDim]: "we would just use accuracy" } }),
      gradedAnswer({ userId: "U1", round: alpha, questionIndex: 1, scores: { ...uniform(alpha, 3), [weakDim]: 1 }, at: "2025-06-02T10:00:00Z" }),
      gradedAnswer({ userId: "U1", round: beta, questionIndex: 0, scores: uniform(beta, 4), at: "2025-06-03T10:00:00Z" }),
      // A follow-up reply: counts for the streak, not for averages.
      gradedAnswer({ userId: "U1", round: beta, questionIndex: 0, scores: uniform(beta, 1), at: "2025-06-03T10:05:00Z", turn: 1 }),
    ];
    const next = { at: new Date("2025-06-04T13:00:00Z"), tz: "America/New_York" };
    const report = buildProgress({ answers, rounds: bank.rounds, tz: "UTC", now: new Date("2025-06-03T12:00:00Z"), next });

    expect(report.answers).toBe(3);
    const byId = Object.fromEntries(report.rounds.map((r) => [r.roundId, r]));
    expect(byId.alpha).toMatchObject({ answers: 2, sparkline: "▃▅" }); // 1.75 and 2.5 on the 1–4 scale
    expect(byId.alpha!.average).toBeCloseTo((1.75 + 2.5) / 2, 2);
    expect(byId.beta).toMatchObject({ answers: 1, average: 4, sparkline: "█" });
    expect(byId.gamma).toMatchObject({ answers: 0, average: undefined, sparkline: "" });

    expect(report.weakest[0]).toMatchObject({ roundId: "alpha", dimensionId: weakDim, average: 1, count: 2 });
    // The latest score is from the second answer, which quoted nothing: the newest quote is kept.
    expect(report.weakest[0]!.latest.evidence).toBe("we would just use accuracy");
    expect(report.weakest[0]!.latest.questionId).toBe(alpha.questions[1]!.id);

    expect(report.streak).toEqual({ current: 3, best: 3, answeredToday: true });
    expect(report.overall.sparkline).toBe(sparkline([1.75, 2.5, 4]));
    expect(report.next).toEqual(next);
  });

  it("is empty but well-formed for someone who never answered", () => {
    const report = buildProgress({ answers: [], rounds: bank.rounds, tz: "UTC", now: new Date() });
    expect(report.answers).toBe(0);
    expect(report.weakest).toEqual([]);
    expect(report.streak.current).toBe(0);
    expect(report.rounds).toHaveLength(bank.rounds.length);
  });
});
