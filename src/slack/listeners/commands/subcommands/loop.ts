import { NoActiveLoopError } from "../../../../engine/loop/errors.js";
import { loopDebriefBlocks } from "../../../blocks/loop-debrief.js";
import { LOOP_ENDED_UNANSWERED, LOOP_ENDED_WITH_DEBRIEF } from "../../../blocks/loop-round.js";
import { loopStatusBlocks } from "../../../blocks/loop-status.js";
import { openDm } from "../../../conversations.js";
import { postDebrief, postRound } from "../../../loop/post-round.js";
import type { Subcommand, SubcommandContext } from "./types.js";
import { escapeMrkdwn, mrkdwn } from "../../../blocks/text.js";

const USAGE = "/interview loop [--with-hm] [daily] | loop status | loop next | loop end";

type LoopAction = { kind: "start"; withHm: boolean; daily: boolean } | { kind: "status" } | { kind: "next" } | { kind: "end" } | { kind: "invalid"; word: string };

/** Reads `[--with-hm] [daily]`, or one of `status`, `next`, `end`. */
export function parseLoopArgs(args: readonly string[]): LoopAction {
  const words = args.map((a) => a.toLowerCase().replace(/^[—–]/, "--"));
  if (words.length === 1 && ["status", "show"].includes(words[0]!)) return { kind: "status" };
  if (words.length === 1 && ["next", "now"].includes(words[0]!)) return { kind: "next" };
  if (words.length === 1 && ["end", "stop", "abandon", "quit"].includes(words[0]!)) return { kind: "end" };
  let withHm = false;
  let daily = false;
  for (const word of words) {
    if (["--with-hm", "with-hm", "--hm", "hm"].includes(word)) withHm = true;
    else if (["daily", "--daily"].includes(word)) daily = true;
    else return { kind: "invalid", word };
  }
  return { kind: "start", withHm, daily };
}

export const loopSubcommand: Subcommand = {
  name: "loop",
  aliases: ["onsite"],
  usage: USAGE,
  description:
    "a full mock onsite (coding, IR, ML design, modeling, behavioral), one thread per round, then a debrief; `--with-hm` adds the hiring-manager chat first, `daily` paces one round a day",
  async run(ctx) {
    const feature = ctx.deps.loop;
    const action = parseLoopArgs(ctx.args);
    if (action.kind === "invalid") {
      await ctx.respond({
        response_type: "ephemeral",
        text: mrkdwn`I don't know "${action.word}" here. Usage: \`${USAGE}\`. Example: \`/interview loop --with-hm daily\``,
      });
      return;
    }
    const userId = ctx.command.user_id;
    await feature.service.exclusive(userId, () => runAction(ctx, action));
  },
};

async function runAction(ctx: SubcommandContext, action: Exclude<LoopAction, { kind: "invalid" }>): Promise<void> {
  const { deps, client, respond } = ctx;
  const feature = deps.loop;
  const service = feature.service;
  const bank = service.bank;
  const userId = ctx.command.user_id;
  const active = await service.active(userId);

  if (action.kind === "end") {
    try {
      const loop = await service.abandon(userId);
      feature.pacer.cancel(userId);
      const answered = loop.debrief !== undefined && loop.debrief.rounds.length > 0;
      if (answered) await postDebrief(client, feature, loop, loop.debrief!);
      await respond({ response_type: "ephemeral", text: answered ? LOOP_ENDED_WITH_DEBRIEF : LOOP_ENDED_UNANSWERED });
    } catch (error) {
      if (!(error instanceof NoActiveLoopError)) throw error;
      await respond({ response_type: "ephemeral", text: escapeMrkdwn(error.message) });
    }
    return;
  }

  if (action.kind === "status" || action.kind === "next") {
    if (!active) {
      const latest = (await service.list(userId))[0];
      const loop = latest && (await service.get(userId, latest.id));
      if (loop?.debrief) await respond({ response_type: "ephemeral", ...loopDebriefBlocks(loop.debrief, { focusFed: false }) });
      else await respond({ response_type: "ephemeral", text: "You have no mock onsite running. Start one with `/interview loop` (add `daily` for a round a day)." });
      return;
    }
    const post = service.roundToPost(active, { force: action.kind === "next" });
    if (post) {
      feature.pacer.cancel(userId);
      const loop = await postRound(client, feature, post);
      await respond({ response_type: "ephemeral", ...loopStatusBlocks(loop, bank, `Round ${post.roundIndex + 1} — *${escapeMrkdwn(post.ref.round.title)}* — is in our DM now.`) });
      return;
    }
    const note = action.kind === "next" ? escapeMrkdwn("The current round is still going: finish it in its thread (or type `next` there to move on).") : undefined;
    await respond({ response_type: "ephemeral", ...loopStatusBlocks(active, bank, note) });
    return;
  }

  if (active) {
    // A round that fell due while posting failed is posted now; otherwise show where the loop stands.
    const due = service.roundToPost(active);
    const loop = due ? await postRound(client, feature, due) : active;
    await respond({
      response_type: "ephemeral",
      ...loopStatusBlocks(loop, bank, escapeMrkdwn("You already have a mock onsite running — here is where it stands. `/interview loop end` abandons it.")),
    });
    return;
  }

  const channel = await openDm(client, userId);
  const pacing = action.daily ? { kind: "daily" as const, tz: await feature.timeZoneOf(userId) } : { kind: "all" as const };
  const loop = await service.start({ userId, withHm: action.withHm, pacing, channel });
  const first = service.roundToPost(loop);
  const posted = first ? await postRound(client, feature, first) : loop;
  const when =
    loop.pacing.kind === "daily"
      ? `One round a day: each next round comes at ${String(loop.pacing.time.hour).padStart(2, "0")}:${String(loop.pacing.time.minute).padStart(2, "0")} (${loop.pacing.tz}) the day after you finish the previous one.`
      : "Each round opens a new thread when the previous one ends.";
  await respond({
    response_type: "ephemeral",
    ...loopStatusBlocks(posted, bank, mrkdwn`Your mock onsite has started in our DM: ${posted.rounds.length} rounds. ${when}`),
  });
}
