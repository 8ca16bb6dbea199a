import { parsePauseArgs } from "../../../../engine/schedule/command.js";
import { scheduleReply } from "../../../blocks/schedule.js";
import { publishHome } from "../../../schedule/home.js";
import { replyToScheduleError, scheduleActor, scheduleTarget } from "./daily.js";
import type { Subcommand } from "./types.js";

export const pauseSubcommand: Subcommand = {
  name: "pause",
  usage: "/interview pause <n> days",
  description: "skip the daily question for n days (`pause off` resumes; `pause channel <n> days` for a channel)",
  async run(ctx) {
    const { deps, command, client, respond } = ctx;
    const feature = deps.schedule;
    try {
      const parsed = parsePauseArgs(ctx.args.join(" "));
      const key = await scheduleTarget(ctx, parsed.target);
      if (!key) return;
      const actor = await scheduleActor(feature, key, command.user_id);
      const view =
        parsed.kind === "pause"
          ? await feature.scheduler.pause(key, actor, parsed.days)
          : await feature.scheduler.resume(key, actor);
      if (key.kind === "user") await publishHome(feature, deps.interview, client, key.id).catch(() => undefined);
      const headline = parsed.kind === "pause" ? `Paused for ${parsed.days} day${parsed.days === 1 ? "" : "s"}.` : "Resumed.";
      await respond({ response_type: "ephemeral", ...scheduleReply(view, deps.interview.bank, new Date(), headline) });
    } catch (error) {
      if (!(await replyToScheduleError(ctx, error))) throw error;
    }
  },
};
