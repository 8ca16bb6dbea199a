import { NoActiveLoopError } from "../../../../engine/loop/errors.js";
import { loopDebriefBlocks } from "../../../blocks/loop-debrief.js";
import { loopStatusBlocks } from "../../../blocks/loop-status.js";
import { slackLoopDisplay } from "../../../loop/display.js";
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
    const action = parseLoopArgs(ctx.args);
    if (action.kind === "invalid") {
      await ctx.respond({
        response_type: "ephemeral",
        text: mrkdwn`I don't know "${action.word}" here. Usage: \`${USAGE}\`. Example: \`/interview loop --with-hm daily\``,
      });
      return;
    }
    await runAction(ctx, action);
  },
};

/** The engine (LoopConductor) decides and changes the loop; this renders its answer as the ephemeral reply. */
async function runAction(ctx: SubcommandContext, action: Exclude<LoopAction, { kind: "invalid" }>): Promise<void> {
  const { deps, client, respond } = ctx;
  const { conductor, service } = deps.loop;
  const bank = service.bank;
  const userId = ctx.command.user_id;
  // Rounds and the debrief go to the DM; what the engine says about the command itself is the ephemeral reply.
  const display = slackLoopDisplay({ client, say: (message) => respond({ response_type: "ephemeral", ...message }) });

  if (action.kind === "end") {
    try {
      await conductor.end(userId, display);
    } catch (error) {
      if (!(error instanceof NoActiveLoopError)) throw error;
      await respond({ response_type: "ephemeral", text: escapeMrkdwn(error.message) });
    }
    return;
  }

  if (action.kind === "status" || action.kind === "next") {
    const result = await conductor.takeRound(userId, { force: action.kind === "next" }, display);
    if (result.kind === "none") {
      if (result.latest?.debrief) await respond({ response_type: "ephemeral", ...loopDebriefBlocks(result.latest.debrief, { focusFed: false }) });
      else await respond({ response_type: "ephemeral", text: "You have no mock onsite running. Start one with `/interview loop` (add `daily` for a round a day)." });
      return;
    }
    if (result.kind === "opened") {
      const note = `Round ${result.opened.roundIndex + 1} — *${escapeMrkdwn(result.opened.ref.round.title)}* — is in our DM now.`;
      await respond({ response_type: "ephemeral", ...loopStatusBlocks(result.loop, bank, note) });
      return;
    }
    const note = action.kind === "next" ? escapeMrkdwn("The current round is still going: finish it in its thread (or type `next` there to move on).") : undefined;
    await respond({ response_type: "ephemeral", ...loopStatusBlocks(result.loop, bank, note) });
    return;
  }

  const started = await conductor.start({ userId, withHm: action.withHm, daily: action.daily, tz: () => deps.loop.timeZoneOf(userId) }, display);
  const { loop } = started;
  if (started.kind === "running") {
    await respond({
      response_type: "ephemeral",
      ...loopStatusBlocks(loop, bank, escapeMrkdwn("You already have a mock onsite running — here is where it stands. `/interview loop end` abandons it.")),
    });
    return;
  }
  const when =
    loop.pacing.kind === "daily"
      ? `One round a day: each next round comes at ${String(loop.pacing.time.hour).padStart(2, "0")}:${String(loop.pacing.time.minute).padStart(2, "0")} (${loop.pacing.tz}) the day after you finish the previous one.`
      : "Each round opens a new thread when the previous one ends.";
  await respond({
    response_type: "ephemeral",
    ...loopStatusBlocks(loop, bank, mrkdwn`Your mock onsite has started in our DM: ${loop.rounds.length} rounds. ${when}`),
  });
}
