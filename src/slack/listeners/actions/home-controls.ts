import type { AllMiddlewareArgs, BlockButtonAction, BlockStaticSelectAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { NoSubscriptionError } from "../../../engine/schedule/errors.js";
import { scheduleModal } from "../../blocks/schedule-modal.js";
import type { SlackDeps } from "../../deps.js";
import { publishHome } from "../../schedule/home.js";

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;
type SelectArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockStaticSelectAction>;

/** Opens the schedule modal, pre-filled with the clicker's own schedule. */
export async function editScheduleCallback(deps: SlackDeps, { ack, body, client }: ButtonArgs): Promise<void> {
  await ack();
  const feature = deps.schedule;
  const userId = body.user.id;
  const view = await feature.scheduler.view({ kind: "user", id: userId });
  const tz = (await feature.people.timeZoneOf(userId).catch(() => undefined)) ?? view.tz;
  await client.views.open({ trigger_id: body.trigger_id, view: scheduleModal({ subscription: view.subscription, bank: deps.interview.bank, tz }) });
}

export async function pauseFromHomeCallback(deps: SlackDeps, { ack, body, action, client }: SelectArgs): Promise<void> {
  await ack();
  const feature = deps.schedule;
  const days = Number(action.selected_option?.value);
  if (!Number.isInteger(days) || days < 1 || days > 90) return;
  await ignoreMissing(feature.scheduler.pause({ kind: "user", id: body.user.id }, { userId: body.user.id }, days));
  await publishHome(feature, deps.interview, client, body.user.id);
}

export async function resumeFromHomeCallback(deps: SlackDeps, { ack, body, client }: ButtonArgs): Promise<void> {
  await ack();
  const feature = deps.schedule;
  await ignoreMissing(feature.scheduler.resume({ kind: "user", id: body.user.id }, { userId: body.user.id }));
  await publishHome(feature, deps.interview, client, body.user.id);
}

export async function stopFromHomeCallback(deps: SlackDeps, { ack, body, client }: ButtonArgs): Promise<void> {
  await ack();
  const feature = deps.schedule;
  await ignoreMissing(feature.scheduler.unsubscribe({ kind: "user", id: body.user.id }, { userId: body.user.id }));
  await publishHome(feature, deps.interview, client, body.user.id);
}

/** A stale Home tab can show a control for a schedule already stopped elsewhere: just refresh it. */
async function ignoreMissing(change: Promise<unknown>): Promise<void> {
  try {
    await change;
  } catch (error) {
    if (!(error instanceof NoSubscriptionError)) throw error;
  }
}
