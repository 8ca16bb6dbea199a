import type { ScheduleFeature } from "../../../schedule/feature.js";
import { parseDailyArgs } from "../../../../engine/schedule/command.js";
import { NoSubscriptionError, ScheduleInputError, ScheduleNotAllowedError } from "../../../../engine/schedule/errors.js";
import type { SubscriberKey } from "../../../../engine/schedule/records.js";
import { inputErrorReply, scheduleReply } from "../../../blocks/schedule.js";
import { openDm, slackErrorCode } from "../../../conversations.js";
import { publishHome } from "../../../schedule/home.js";
import type { Subcommand, SubcommandContext } from "./types.js";
import { escapeMrkdwn, mention, mrkdwn } from "../../../blocks/text.js";

export function isDirectMessage(channelId: string, channelName: string): boolean {
  return channelName === "directmessage" || channelId.startsWith("D");
}

/** Replies with the typed errors every schedule command can hit; false when `error` is something else. */
export async function replyToScheduleError(ctx: SubcommandContext, error: unknown): Promise<boolean> {
  if (error instanceof ScheduleInputError) {
    await ctx.respond({ response_type: "ephemeral", ...inputErrorReply(error.message, error.example) });
    return true;
  }
  if (error instanceof ScheduleNotAllowedError) {
    const text = mrkdwn`Only ${mention(error.ownerId)} (who set it up) or a workspace admin can change this channel's daily question.`;
    await ctx.respond({ response_type: "ephemeral", text });
    return true;
  }
  if (error instanceof NoSubscriptionError) {
    await ctx.respond({ response_type: "ephemeral", text: escapeMrkdwn(error.message) });
    return true;
  }
  return false;
}

/** The subscriber a command addresses, or a reply explaining why there is none. */
export async function scheduleTarget(ctx: SubcommandContext, target: "me" | "channel"): Promise<SubscriberKey | undefined> {
  if (target === "me") return { kind: "user", id: ctx.command.user_id };
  if (isDirectMessage(ctx.command.channel_id, ctx.command.channel_name)) {
    await ctx.respond({ response_type: "ephemeral", text: "Channel schedules are set in the channel itself: run `/interview daily channel 9:30 weekdays mlsd` there." });
    return undefined;
  }
  return { kind: "channel", id: ctx.command.channel_id };
}

/** Who is changing a schedule; workspace admins may change any channel's (looked up only for channels). */
export async function scheduleActor(feature: ScheduleFeature, key: { kind: "user" | "channel" }, userId: string) {
  return { userId, isWorkspaceAdmin: key.kind === "channel" ? await feature.people.isWorkspaceAdmin(userId).catch(() => false) : false };
}

export const dailySubcommand: Subcommand = {
  name: "daily",
  usage: "/interview daily <time> [weekdays | every day | mon,wed,fri] [rounds…]",
  description: "a question by DM every day at your time (`daily` shows it, `daily off` stops, `daily channel …` for a channel)",
  async run(ctx) {
    const { deps, command, client, respond } = ctx;
    const feature = deps.schedule;
    const bank = deps.interview.bank;
    try {
      const parsed = parseDailyArgs(ctx.args.join(" "), bank);
      const key = await scheduleTarget(ctx, parsed.target);
      if (!key) return;
      const actor = await scheduleActor(feature, key, command.user_id);
      if (parsed.kind === "show") {
        await respond({ response_type: "ephemeral", ...scheduleReply(await feature.scheduler.view(key), bank, new Date()) });
        return;
      }
      if (parsed.kind === "off") {
        await feature.scheduler.unsubscribe(key, actor);
        if (key.kind === "user") await publishHome(feature, deps.interview, client, key.id).catch(() => undefined);
        await respond({ response_type: "ephemeral", text: key.kind === "user" ? "Daily questions stopped. Your history stays; `/interview daily 9:00` starts again." : "This channel's daily question is stopped." });
        return;
      }
      let dmChannel: string | undefined;
      if (key.kind === "channel") {
        // Saying so in the channel both informs it and proves the bot may post there.
        const existing = (await feature.scheduler.view(key)).subscription;
        if (existing && !feature.scheduler.mayChange(key, existing, actor)) throw new ScheduleNotAllowedError(key.id, existing.ownerId);
        try {
          await client.chat.postMessage({
            channel: key.id,
            text: mrkdwn`${mention(command.user_id)} set up a daily interview question for this channel. Answer in each question's thread; model answers are shown only to people who have answered.`,
          });
        } catch (error) {
          const code = slackErrorCode(error);
          if (code === "not_in_channel" || code === "channel_not_found" || code === "is_archived") {
            await respond({ response_type: "ephemeral", text: "I can't post in this channel. Invite me first with `/invite @Interview Coach`, then run the command again." });
            return;
          }
          throw error;
        }
      } else {
        dmChannel = await openDm(client, key.id);
      }
      const view = await feature.scheduler.subscribe({ key, actor, time: parsed.time, days: parsed.days, rounds: parsed.rounds, dmChannel });
      if (key.kind === "user") await publishHome(feature, deps.interview, client, key.id).catch(() => undefined);
      await respond({ response_type: "ephemeral", ...scheduleReply(view, bank, new Date(), "Daily question set.") });
    } catch (error) {
      if (!(await replyToScheduleError(ctx, error))) throw error;
    }
  },
};
