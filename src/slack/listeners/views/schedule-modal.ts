import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { readScheduleModal, type ModalValues } from "../../blocks/schedule-modal.js";
import { openDm } from "../../conversations.js";
import type { SlackDeps } from "../../deps.js";
import { publishHome } from "../../schedule/home.js";

/** Saves the App Home schedule modal: validation errors go back into the modal, beside their fields. */
export async function scheduleModalSubmitCallback(
  deps: SlackDeps,
  { ack, body, view, client }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>,
): Promise<void> {
  const feature = deps.schedule;
  const reading = readScheduleModal(view.state.values as ModalValues, deps.interview.bank);
  if (!reading.ok) {
    await ack({ response_action: "errors", errors: reading.errors });
    return;
  }
  await ack();
  const userId = body.user.id;
  const key = { kind: "user" as const, id: userId };
  const actor = { userId };
  const dmChannel = await openDm(client, userId);
  await feature.scheduler.subscribe({ key, actor, time: reading.time, days: reading.days, rounds: reading.rounds, dmChannel });
  if (reading.pauseDays === 0) await feature.scheduler.resume(key, actor);
  else if (reading.pauseDays !== undefined) await feature.scheduler.pause(key, actor, reading.pauseDays);
  await publishHome(feature, deps.interview, client, userId);
}
