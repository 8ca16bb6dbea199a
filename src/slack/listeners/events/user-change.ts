import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";

/** A profile change may carry a new timezone: the person's daily question follows it. */
export async function userChangeCallback(deps: SlackDeps, { event }: AllMiddlewareArgs & SlackEventMiddlewareArgs<"user_change">): Promise<void> {
  const feature = deps.schedule;
  const user = event.user as { id: string; tz?: string; is_admin?: boolean; is_owner?: boolean; is_primary_owner?: boolean };
  if (!user?.id) return;
  feature.people.remember(user);
  if (user.tz) await feature.scheduler.timeZoneChanged(user.id, user.tz);
}
