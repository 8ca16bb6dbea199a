import type { KnownBlock } from "@slack/types";
import { progressBlocks } from "../../../blocks/progress.js";
import { scheduleText } from "../../../blocks/schedule.js";
import { personalState } from "../../../schedule/home.js";
import type { Subcommand } from "./types.js";
import { section } from "../../../blocks/text.js";

export const statsSubcommand: Subcommand = {
  name: "stats",
  aliases: ["progress"],
  usage: "/interview stats",
  description: "your progress, only for you: per round averages and trend, weakest areas, streak, next question",
  async run({ deps, command, respond }) {
    const feature = deps.schedule;
    const now = new Date();
    const { schedule, report } = await personalState(feature, deps.interview, command.user_id, now);
    const blocks: KnownBlock[] = [
      { type: "header", text: { type: "plain_text", text: "Your progress" } },
      ...progressBlocks(report),
      section(scheduleText(schedule, deps.interview.bank, now)),
    ];
    await respond({ response_type: "ephemeral", text: `Your progress: ${report.answers} answers`, blocks });
  },
};
