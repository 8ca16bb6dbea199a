/**
 * The Slack side of the mock loop: the engine's outputs rendered and posted against the fake Web API.
 * A round's opening message posted just before a crash (before the loop recorded it) is found through
 * its metadata when the step runs again — a retried pacer job posts no second thread.
 */
import { afterEach, describe, expect, it } from "vitest";
import { webApi } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { LoopConductor } from "../../src/engine/loop/conductor.js";
import type { LoopDisplay } from "../../src/engine/loop/outputs.js";
import type { DueRound } from "../../src/engine/loop/service.js";
import { slackLoopDisplay } from "../../src/slack/loop/display.js";
import { LOOP_METADATA_EVENT } from "../../src/slack/loop/posted-once.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { harness } from "../loop/support.js";

function client(apiUrl: string): WebClient {
  return new webApi.WebClient("xoxb-test", { slackApiUrl: apiUrl, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
}

describe("the Slack loop display", () => {
  let slack: FakeSlack | undefined;
  afterEach(async () => {
    await slack?.close();
    slack = undefined;
  });

  async function dailyLoopWaitingForRound2() {
    slack = await startFakeSlack();
    const web = client(slack.apiUrl);
    let now = new Date("2025-03-10T14:00:00Z");
    const h = harness({ now: () => now });
    const scheduled: DueRound[] = [];
    const conductor = new LoopConductor({ service: h.loops, timer: { schedule: (d) => void scheduled.push(d), cancel: () => undefined }, focusFed: false, logger: { error: () => undefined } });
    const say = async () => undefined;
    const display = slackLoopDisplay({ client: web, say });
    await conductor.start({ userId: "U1", withHm: true, daily: true, tz: async () => "UTC" }, display);
    const first = (await h.loops.active("U1"))!.rounds[0]!.thread!;
    expect(first.channel).toBe("D1");
    for (const text of ["skip", "skip"]) await conductor.reply({ thread: first, userId: "U1", text }, display);
    expect(scheduled).toHaveLength(1);
    now = new Date(scheduled[0]!.dueAt.getTime() + 1000);
    return { h, conductor, web, due: scheduled[0]!, display };
  }

  const roundPosts = (loopId: string, index: number) =>
    slack!.callsTo("chat.postMessage").filter((c) => (c.args.metadata as { event_type?: string; event_payload?: { token?: string } } | undefined)?.event_payload?.token === `${loopId}#round-${index}`);

  it("tags each round's opening message and, when a crash came between posting it and recording it, reuses it instead of posting again", async () => {
    const { h, conductor, due, display } = await dailyLoopWaitingForRound2();
    const loopId = due.loopId;
    expect(roundPosts(loopId, 0)).toHaveLength(1);
    expect((roundPosts(loopId, 0)[0]!.args.metadata as { event_type: string }).event_type).toBe(LOOP_METADATA_EVENT);

    // The process dies right after Slack took the round's message: the loop never hears of it.
    const crashing: LoopDisplay = {
      show: (output) => display.show(output),
      openRound: async (opening) => {
        await display.openRound(opening);
        throw new Error("killed");
      },
    };
    await expect(conductor.roundDue(due, crashing)).rejects.toThrow("killed");
    expect(roundPosts(loopId, 1)).toHaveLength(1);
    expect((await h.loops.active("U1"))!.rounds[1]!.status).toBe("pending");

    // The retried job opens the round: the message already in the DM becomes the round's thread.
    const outputs = await conductor.roundDue(due, display);
    expect(outputs).toMatchObject([{ kind: "round-opened", roundIndex: 1 }]);
    expect(roundPosts(loopId, 1)).toHaveLength(1);
    const posted = roundPosts(loopId, 1)[0]!.response as { ts: string };
    const round = (await h.loops.active("U1"))!.rounds[1]!;
    expect(round).toMatchObject({ status: "active", thread: { channel: "D1", ts: posted.ts } });
    expect(await h.interview.thread(round.thread!)).toMatchObject({ origin: "loop", askedBy: "U1", roundId: "coding" });
  });

  it("still posts the round when the conversation cannot be read", async () => {
    const { h, conductor, due, display } = await dailyLoopWaitingForRound2();
    slack!.failNext("conversations.history", { kind: "error", error: "missing_scope" });
    await conductor.roundDue(due, display);
    expect(roundPosts(due.loopId, 1)).toHaveLength(1);
    expect((await h.loops.active("U1"))!.rounds[1]!.status).toBe("active");
  });
});
