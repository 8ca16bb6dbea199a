import { loopDebriefBlocks } from "../../../blocks/loop-debrief.js";
import { loopListBlocks, loopStatusBlocks } from "../../../blocks/loop-status.js";
import type { Subcommand } from "./types.js";

export const loopsSubcommand: Subcommand = {
  name: "loops",
  usage: "/interview loops [n]",
  description: "your mock onsites, latest first, with status and recommendation (`loops 1` shows the latest debrief again)",
  async run({ deps, command, args, respond }) {
    const feature = deps.loop;
    const userId = command.user_id;
    const loops = await feature.service.list(userId);
    if (args.length === 0) {
      await respond({ response_type: "ephemeral", ...loopListBlocks(loops) });
      return;
    }
    const n = Number(args[0]);
    const summary = Number.isInteger(n) && n >= 1 ? loops[n - 1] : undefined;
    if (!summary) {
      await respond({
        response_type: "ephemeral",
        text: loops.length === 0 ? "You haven't sat a mock onsite yet. Start one with `/interview loop`." : `Pick a number from 1 to ${loops.length}, e.g. \`/interview loops 1\` for the latest.`,
      });
      return;
    }
    const loop = await feature.service.get(userId, summary.id);
    if (!loop) return;
    const reply = loop.debrief ? loopDebriefBlocks(loop.debrief, { focusFed: false }) : loopStatusBlocks(loop, feature.service.bank);
    await respond({ response_type: "ephemeral", ...reply });
  },
};
