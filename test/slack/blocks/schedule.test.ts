import type { ActionsBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import { buildProgress } from "../../../src/engine/progress/report.js";
import type { ScheduleView } from "../../../src/engine/schedule/scheduler.js";
import type { Subscription } from "../../../src/engine/schedule/records.js";
import { ACTION_IDS, VIEW_IDS } from "../../../src/slack/blocks/action-ids.js";
import { appHomeView } from "../../../src/slack/blocks/app-home.js";
import { inputErrorReply, scheduleReply } from "../../../src/slack/blocks/schedule.js";
import { MODAL_FIELDS, readScheduleModal, scheduleModal } from "../../../src/slack/blocks/schedule-modal.js";
import { gradedAnswer, makeBank } from "../../schedule/support/fixtures.js";

const bank = makeBank();
const [alpha, beta] = bank.rounds as [typeof bank.rounds[0], typeof bank.rounds[0]];
const now = new Date("2025-06-03T12:00:00Z");
const uniform = (round: typeof alpha, score: number) => Object.fromEntries(round.rubric.map((d) => [d.id, score]));

function subscription(overrides: Partial<Subscription> = {}): Subscription {
  return {
    time: { hour: 9, minute: 30 },
    days: [1, 2, 3, 4, 5],
    rounds: ["beta"],
    ownerId: "U1",
    createdAt: "2025-06-01T00:00:00Z",
    updatedAt: "2025-06-01T00:00:00Z",
    updatedBy: "U1",
    effectiveFrom: "2025-06-01T00:00:00Z",
    ...overrides,
  };
}

function view(sub?: Subscription): ScheduleView {
  return {
    key: { kind: "user", id: "U1" },
    subscription: sub,
    tz: "America/New_York",
    next: sub ? { at: new Date("2025-06-04T13:30:00Z"), key: "2025-06-04T09:30", tz: "America/New_York" } : undefined,
  };
}

function reportFromStore() {
  const weak = alpha.rubric[0]!.id;
  const answers = [
    gradedAnswer({ userId: "U1", round: alpha, questionIndex: 0, scores: { ...uniform(alpha, 3), [weak]: 1 }, at: "2025-06-01T14:00:00Z", evidence: { [weak]: "I'd <!channel> just ship it & see" } }),
    gradedAnswer({ userId: "U1", round: alpha, questionIndex: 1, scores: { ...uniform(alpha, 3.5), [weak]: 1 }, at: "2025-06-02T14:00:00Z" }),
    gradedAnswer({ userId: "U1", round: beta, questionIndex: 0, scores: uniform(beta, 2.5), at: "2025-06-03T11:00:00Z" }),
  ];
  return buildProgress({ answers, rounds: bank.rounds, tz: "America/New_York", now, next: { at: new Date("2025-06-04T13:30:00Z"), tz: "America/New_York" } });
}

describe("App Home builder", () => {
  it("shows per-round answers, averages and sparklines, the weakest dimension with escaped evidence, streak and next question", () => {
    const home = appHomeView({ schedule: view(subscription()), report: reportFromStore(), bank, now });
    expect(home.type).toBe("home");
    const rendered = JSON.stringify(home.blocks);
    // Overall per answer is the mean of the four dimensions: (1+3+3+3)/4 and (1+3.5·3)/4.
    expect(rendered).toContain(`Round alpha* — 2 answers, avg ${((2.5 + 2.875) / 2).toFixed(2)} / 4`);
    expect(rendered).toContain("Round beta* — 1 answer, avg 2.50 / 4");
    expect(rendered).toContain("Round gamma* — not practised yet");
    expect(rendered).toMatch(/`[▁▂▃▄▅▆▇█]{2}`/);
    expect(rendered).toContain("Weakest areas");
    expect(rendered.indexOf("alpha dimension 0")).toBeGreaterThan(rendered.indexOf("Weakest areas"));
    // Untrusted quote text is escaped: no live @channel, no raw ampersand.
    expect(rendered).toContain("I'd @channel just ship it &amp; see");
    expect(rendered).not.toContain("<!channel>");
    expect(rendered).toContain("3-day streak");
    expect(rendered).toContain("Wed 4 Jun, 09:30 (America/New_York)");
    expect(rendered).toContain("weekdays");
  });

  it("offers edit, pause and stop for an active schedule; resume instead of pause while paused; only setup when none", () => {
    const ids = (v: ScheduleView) =>
      appHomeView({ schedule: v, report: reportFromStore(), bank, now })
        .blocks.filter((b): b is ActionsBlock => b.type === "actions")
        .flatMap((b) => b.elements.map((e) => ("action_id" in e ? e.action_id : "")));
    expect(ids(view(subscription()))).toEqual([ACTION_IDS.homeEditSchedule, ACTION_IDS.homePause, ACTION_IDS.homeStop]);
    expect(ids(view(subscription({ pausedUntil: "2025-06-05T00:00:00Z" })))).toEqual([ACTION_IDS.homeEditSchedule, ACTION_IDS.homeResume, ACTION_IDS.homeStop]);
    expect(ids(view(undefined))).toEqual([ACTION_IDS.homeEditSchedule]);
  });

  it("says plainly when delivery stopped because the person could not be reached", () => {
    const reply = scheduleReply(view(subscription({ suspended: { code: "cannot_dm_bot", at: "2025-06-02T13:30:00Z" } })), bank, now);
    expect(JSON.stringify(reply.blocks)).toContain("could not deliver (`cannot_dm_bot`)");
  });

  it("shows a refused input with its example", () => {
    const reply = inputErrorReply('"25:00": hours go from 0 to 23', "/interview daily 9:00 weekdays mlsd");
    expect(JSON.stringify(reply.blocks)).toContain("Example: `/interview daily 9:00 weekdays mlsd`");
  });
});

describe("schedule modal", () => {
  it("is pre-filled from the current schedule", () => {
    const modal = scheduleModal({ subscription: subscription(), bank, tz: "America/New_York" });
    expect(modal.callback_id).toBe(VIEW_IDS.scheduleModal);
    const rendered = JSON.stringify(modal.blocks);
    expect(rendered).toContain('"initial_time":"09:30"');
    expect(rendered).toContain("America/New_York");
    const rounds = modal.blocks.find((b) => b.block_id === MODAL_FIELDS.rounds) as { element: { initial_options?: Array<{ value: string }> } };
    expect(rounds.element.initial_options?.map((o) => o.value)).toEqual(["beta"]);
  });

  it("reads a valid submission and refuses an incomplete one field by field", () => {
    const ok = readScheduleModal(
      {
        [MODAL_FIELDS.time]: { [MODAL_FIELDS.time]: { selected_time: "07:45" } },
        [MODAL_FIELDS.days]: { [MODAL_FIELDS.days]: { selected_options: [{ value: "5" }, { value: "1" }] } },
        [MODAL_FIELDS.rounds]: { [MODAL_FIELDS.rounds]: { selected_options: [{ value: "gamma" }] } },
        [MODAL_FIELDS.pause]: { [MODAL_FIELDS.pause]: { selected_option: { value: "3" } } },
      },
      bank,
    );
    expect(ok).toEqual({ ok: true, time: { hour: 7, minute: 45 }, days: [1, 5], rounds: ["gamma"], pauseDays: 3 });
    const bad = readScheduleModal(
      { [MODAL_FIELDS.time]: { [MODAL_FIELDS.time]: { selected_time: null } }, [MODAL_FIELDS.days]: { [MODAL_FIELDS.days]: { selected_options: [] } } },
      bank,
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors).sort()).toEqual([MODAL_FIELDS.days, MODAL_FIELDS.time].sort());
  });
});
