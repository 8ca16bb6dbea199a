import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { InterviewStore } from "../../src/engine/store/interview-store.js";
import { ScheduleStore } from "../../src/engine/schedule/schedule-store.js";
import { localParts } from "../../src/engine/schedule/zones.js";
import { startFakeSlack, type FakeSlack, type SlackCall } from "../support/fake-slack.js";
import { startTestApp, type TestApp } from "../support/app.js";
import { blockActionBody, eventBody, postSigned, slashCommandBody } from "../support/signed.js";
import { gradedAnswer } from "../schedule/support/fixtures.js";
import { JsonDocs } from "../../src/infra/embedded/json-docs.js";

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";

let app: TestApp | undefined;
let slack: FakeSlack | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await app?.close();
  await slack?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  app = slack = dataDir = undefined;
});

const responses = (s: FakeSlack) => s.callsTo("response_url");
const text = (c: SlackCall) => JSON.stringify(c.args);

async function command(t: TestApp, commandText: string, userId = "U111", channelId = "D111") {
  const count = responses(t.slack).length;
  const res = await postSigned(t.eventsUrl, slashCommandBody({ text: commandText, userId, channelId, responseUrl: t.slack.responseUrl() }), FORM);
  expect(res.status).toBe(200);
  await t.slack.waitFor((calls) => calls.filter((c) => c.method === "response_url").length > count);
  return responses(t.slack)[count]!;
}

/** A zone where two minutes ago was still today, so a slot then is "missed earlier today". */
function zoneWithRoom(now: Date): string {
  return ["UTC", "Asia/Tokyo", "America/New_York", "Pacific/Kiritimati", "Etc/GMT+12"].find((tz) => {
    const [h, m] = localParts(now, tz).time.split(":").map(Number);
    return h! * 60 + m! >= 5 && h! * 60 + m! <= 23 * 60 + 50;
  })!;
}

describe("daily questions in Slack (real HTTP app, fake Slack Web API)", () => {
  it("sets, shows and refuses schedules by command, and keeps the Home tab in step", async () => {
    app = await startTestApp();
    app.slack.users.set("U111", { tz: "Europe/Berlin" });

    const set = await command(app, "daily 7:45am mon,wed,fri mlsd");
    expect(text(set)).toContain("Daily question set.");
    expect(text(set)).toContain(`07:45 (7:45am)*, Mon, Wed, Fri, Europe/Berlin time — ${app.running.engine.bank.round("ml-system-design").title}`);
    expect(text(set)).toMatch(/Next question: \*(Mon|Wed|Fri) \d+ \w+, 07:45 \(Europe\/Berlin\)\*/);
    expect(app.slack.callsTo("conversations.open").some((c) => c.args.users === "U111")).toBe(true);
    await app.slack.waitFor((calls) => calls.some((c) => c.method === "views.publish" && c.args.user_id === "U111"));

    const shown = await command(app, "daily");
    expect(text(shown)).toContain("Mon, Wed, Fri");

    const bad = await command(app, "daily 25:00 weekdays");
    expect(text(bad)).toContain("hours go from 0 to 23");
    expect(text(bad)).toContain("Example: `/interview daily");

    const paused = await command(app, "pause 3 days");
    expect(text(paused)).toContain("Paused for 3 days.");
    expect(text(paused)).toContain("Paused until");

    const off = await command(app, "daily off");
    expect(text(off)).toContain("Daily questions stopped");
    expect(text(await command(app, "daily"))).toContain("not set up");
  });

  it("only the channel's owner or an admin may change a channel's schedule", async () => {
    app = await startTestApp({ env: { ADMIN_USER_IDS: "UADMIN" } });
    const set = await command(app, "daily channel 9:30 weekdays ir", "UOWNER", "C777");
    expect(text(set)).toContain("This channel's daily question");
    expect(app.slack.callsTo("chat.postMessage").some((c) => c.args.channel === "C777" && String(c.args.text).includes("set up a daily interview question"))).toBe(true);
    const refused = await command(app, "daily channel off", "UOTHER", "C777");
    expect(text(refused)).toContain("Only <@UOWNER>");
    const byAdmin = await command(app, "pause channel 2 days", "UADMIN", "C777");
    expect(text(byAdmin)).toContain("Paused for 2 days.");
  });

  it("publishes the viewer's own progress on app_home_opened", async () => {
    dataDir = mkdtempSync(join(tmpdir(), "coach-e2e-home-"));
    const store = new InterviewStore(new JsonDocs(dataDir));
    app = await startTestApp({ dataDir });
    const round = app.running.engine.bank.round("ml-system-design");
    const scores = (s: number) => Object.fromEntries(round.rubric.map((d) => [d.id, s]));
    for (const [i, s] of [[0, 2], [1, 3]] as const) {
      const answer = gradedAnswer({ userId: "U222", round, questionIndex: i, scores: scores(s), at: new Date(Date.now() - (2 - i) * 86_400_000).toISOString() });
      await store.saveAnswer(answer);
    }
    // Someone else's history must not leak into U222's Home.
    await store.saveAnswer(gradedAnswer({ userId: "U999", round, questionIndex: 2, scores: scores(4), at: new Date().toISOString() }));

    const res = await postSigned(app.eventsUrl, eventBody({ type: "app_home_opened", user: "U222", channel: "D222", tab: "home" }), JSON_TYPE);
    expect(res.status).toBe(200);
    const calls = await app.slack.waitFor((cs) => cs.some((c) => c.method === "views.publish" && c.args.user_id === "U222"));
    const view = calls.find((c) => c.method === "views.publish" && c.args.user_id === "U222")!.args.view as { type: string; blocks: unknown[] };
    const rendered = JSON.stringify(view.blocks);
    expect(view.type).toBe("home");
    expect(rendered).toContain(`${round.title}* — 2 answers, avg 2.50 / 4`);
    expect(rendered).toMatch(/`[▁▂▃▄▅▆▇█]{2}`/);
    expect(rendered).toContain("home_edit_schedule");
    expect(rendered).not.toContain("3 answers");
  });

  it("delivers a slot missed earlier today by DM on start, records its thread, and never twice across restarts", async () => {
    dataDir = mkdtempSync(join(tmpdir(), "coach-e2e-daily-"));
    slack = await startFakeSlack();
    const now = new Date();
    const tz = zoneWithRoom(now);
    const slotAt = new Date(now.getTime() - 2 * 60_000);
    slack.users.set("U333", { tz });
    await seedSubscription(dataDir, { kind: "user", id: "U333" }, tz, slotAt, ["ml-system-design"], "U333");

    app = await startTestApp({ dataDir, slack });
    const calls = await slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && c.args.channel === "D333"));
    const post = calls.find((c) => c.method === "chat.postMessage" && c.args.channel === "D333")!;
    expect(slack.callsTo("conversations.open").some((c) => c.args.users === "U333")).toBe(true);
    const metadata = post.args.metadata as { event_type: string; event_payload: { token: string; slot: string } };
    expect(metadata.event_type).toBe("interview_daily_question");
    expect(metadata.event_payload.slot).toBe(`${localParts(slotAt, tz).date}T${localParts(slotAt, tz).time}`);
    expect(JSON.stringify(post.args.blocks)).toContain(app.running.engine.bank.round("ml-system-design").title);
    const ts = String(post.response!.ts);

    // The delivered question is a real thread: a reply there is graded.
    await waitUntil(async () => Boolean(await app!.running.engine.interview.thread({ channel: "D333", ts })));
    await postSigned(app.eventsUrl, eventBody({ type: "message", channel: "D333", channel_type: "im", user: "U333", text: "I would start with NDCG@10 offline and add-to-cart rate online.", ts: "1800000000.000900", thread_ts: ts }), JSON_TYPE);
    await slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && c.args.thread_ts === ts));

    await app.stopApp();
    app = await startTestApp({ dataDir, slack });
    await new Promise((r) => setTimeout(r, 500));
    expect(slack.callsTo("chat.postMessage").filter((c) => c.args.channel === "D333" && !c.args.thread_ts)).toHaveLength(1);
  });
});

/** A modal submission as Slack sends it (form-encoded `payload`). */
function viewSubmissionBody(userId: string, callbackId: string, values: Record<string, unknown>): string {
  const payload = {
    type: "view_submission",
    team: { id: "T0001", domain: "fake" },
    user: { id: userId, username: userId.toLowerCase(), team_id: "T0001" },
    api_app_id: "A0001",
    token: "deprecated-verification-token",
    trigger_id: `trigger-${Date.now()}`,
    view: { id: "V0001", team_id: "T0001", type: "modal", callback_id: callbackId, private_metadata: "", state: { values }, hash: "h", app_id: "A0001", bot_id: "BBOT0001" },
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

async function seedSubscription(dir: string, key: { kind: "user" | "channel"; id: string }, tz: string, at: Date, rounds: string[], ownerId: string) {
  const [hour, minute] = localParts(at, tz).time.split(":").map(Number);
  const doc = await new ScheduleStore(new JsonDocs(dir)).open(key);
  const dayAgo = new Date(Date.now() - 86_400_000).toISOString();
  doc.data.tz = tz;
  doc.data.subscription = {
    time: { hour: hour!, minute: minute! },
    days: [0, 1, 2, 3, 4, 5, 6],
    rounds,
    ownerId,
    createdAt: dayAgo,
    updatedAt: dayAgo,
    updatedBy: ownerId,
    effectiveFrom: new Date(Date.now() - 3_600_000).toISOString(),
  };
  await doc.write();
}

describe("App Home controls and channel mode", () => {
  it("edits the schedule through the Home tab's modal, with field errors for a bad submission", async () => {
    app = await startTestApp();
    app.slack.users.set("U444", { tz: "Asia/Kolkata" });
    const click = blockActionBody({ userId: "U444", channelId: "D444", messageTs: "1.1", actionId: "home_edit_schedule", value: "", responseUrl: app.slack.responseUrl() });
    expect((await postSigned(app.eventsUrl, click, FORM)).status).toBe(200);
    const opened = (await app.slack.waitFor((cs) => cs.some((c) => c.method === "views.open"))).find((c) => c.method === "views.open")!;
    const modal = opened.args.view as { callback_id: string };
    expect(JSON.stringify(modal)).toContain("Asia/Kolkata");

    const bad = await postSigned(app.eventsUrl, viewSubmissionBody("U444", modal.callback_id, { daily_time: { daily_time: { type: "timepicker", selected_time: null } }, daily_days: { daily_days: { type: "checkboxes", selected_options: [] } } }), FORM);
    const badBody = (await bad.json()) as { response_action: string; errors: Record<string, string> };
    expect(badBody.response_action).toBe("errors");
    expect(Object.keys(badBody.errors).sort()).toEqual(["daily_days", "daily_time"]);

    const good = await postSigned(
      app.eventsUrl,
      viewSubmissionBody("U444", modal.callback_id, {
        daily_time: { daily_time: { type: "timepicker", selected_time: "18:15" } },
        daily_days: { daily_days: { type: "checkboxes", selected_options: [{ value: "2" }, { value: "4" }] } },
        daily_rounds: { daily_rounds: { type: "checkboxes", selected_options: [{ value: "behavioral" }] } },
        daily_pause: { daily_pause: { type: "static_select", selected_option: null } },
      }),
      FORM,
    );
    expect(good.status).toBe(200);
    const published = await app.slack.waitFor((cs) => cs.some((c) => c.method === "views.publish" && c.args.user_id === "U444"));
    const home = JSON.stringify(published.find((c) => c.method === "views.publish" && c.args.user_id === "U444")!.args.view);
    expect(home).toContain("18:15 (6:15pm)*, Tue, Thu, Asia/Kolkata time");
    expect(text(await command(app, "daily", "U444", "D444"))).toContain("Tue, Thu");
  });

  it("follows a timezone change reported by a user_change event", async () => {
    app = await startTestApp();
    app.slack.users.set("U555", { tz: "Europe/Berlin" });
    await command(app, "daily 8:00 weekdays", "U555", "D555");
    await postSigned(app.eventsUrl, eventBody({ type: "user_change", user: { id: "U555", tz: "Asia/Tokyo", tz_offset: 32400 } }), JSON_TYPE);
    await waitUntil(async () => text(await command(app!, "daily", "U555", "D555")).includes("Asia/Tokyo time"));
  });

  it("posts a channel's question in the channel; each person is graded, and the model answer is only shown privately to people who answered", async () => {
    dataDir = mkdtempSync(join(tmpdir(), "coach-e2e-channel-"));
    slack = await startFakeSlack();
    const tz = zoneWithRoom(new Date());
    await seedSubscription(dataDir, { kind: "channel", id: "C888" }, tz, new Date(Date.now() - 2 * 60_000), ["ir-ranking"], "UOWNER");
    app = await startTestApp({ dataDir, slack });
    const post = (await slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage" && c.args.channel === "C888"))).find((c) => c.method === "chat.postMessage" && c.args.channel === "C888")!;
    expect(JSON.stringify(post.args.blocks)).toContain("Anyone can answer in the thread");
    const ts = String(post.response!.ts);
    await waitUntil(async () => Boolean(await app!.running.engine.interview.thread({ channel: "C888", ts })));

    for (const [i, user] of ["UA", "UB"].entries()) {
      await postSigned(app.eventsUrl, eventBody({ type: "message", channel: "C888", channel_type: "channel", user, text: "I would combine BM25 with dense retrieval and evaluate with NDCG@10 and recall@100.", ts: `1800000001.00000${i}`, thread_ts: ts }), JSON_TYPE);
    }
    await slack.waitFor((cs) => cs.filter((c) => c.method === "chat.postMessage" && c.args.thread_ts === ts).length >= 2);
    const critiques = slack.callsTo("chat.postMessage").filter((c) => c.args.thread_ts === ts);
    expect(critiques.map((c) => JSON.stringify(c.args)).some((t) => t.includes("UA"))).toBe(true);
    expect(critiques.map((c) => JSON.stringify(c.args)).some((t) => t.includes("UB"))).toBe(true);
    // Nothing posted in the thread reveals the reference answer.
    const { question } = app.running.engine.bank.get(String((await app.running.engine.interview.thread({ channel: "C888", ts }))!.questionId));
    expect(critiques.every((c) => !JSON.stringify(c.args).includes(question.referenceAnswer.slice(0, 80)))).toBe(true);

    for (const user of ["UA", "UC"]) {
      const click = blockActionBody({ userId: user, channelId: "C888", messageTs: ts, threadTs: ts, actionId: "question_model_answer", value: ts, responseUrl: slack.responseUrl() });
      await postSigned(app.eventsUrl, click, FORM);
    }
    await slack.waitFor((cs) => cs.filter((c) => c.method === "chat.postEphemeral").length >= 2);
    const privately = slack.callsTo("chat.postEphemeral");
    expect(privately.find((c) => c.args.user === "UA")!.args.blocks).toBeDefined();
    expect(String(privately.find((c) => c.args.user === "UC")!.args.text)).toMatch(/Answer first/);
    expect(slack.callsTo("chat.postMessage").filter((c) => c.args.channel === "C888" && !c.args.thread_ts)).toHaveLength(1);
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
