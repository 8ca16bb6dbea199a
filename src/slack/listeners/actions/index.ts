import type { App, BlockButtonAction, BlockStaticSelectAction } from "@slack/bolt";
import { ACTION_IDS } from "../../blocks/action-ids.js";
import type { SlackDeps } from "../../deps.js";
import { editScheduleCallback, pauseFromHomeCallback, resumeFromHomeCallback, stopFromHomeCallback } from "./home-controls.js";
import { hintActionCallback, modelAnswerActionCallback, skipActionCallback } from "./question-buttons.js";

export function registerActions(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ACTION_IDS.hint, (args) => hintActionCallback(deps, args));
  app.action<BlockButtonAction>(ACTION_IDS.skip, (args) => skipActionCallback(deps, args));
  app.action<BlockButtonAction>(ACTION_IDS.modelAnswer, (args) => modelAnswerActionCallback(deps, args));
  app.action<BlockButtonAction>(ACTION_IDS.homeEditSchedule, (args) => editScheduleCallback(deps, args));
  app.action<BlockStaticSelectAction>(ACTION_IDS.homePause, (args) => pauseFromHomeCallback(deps, args));
  app.action<BlockButtonAction>(ACTION_IDS.homeResume, (args) => resumeFromHomeCallback(deps, args));
  app.action<BlockButtonAction>(ACTION_IDS.homeStop, (args) => stopFromHomeCallback(deps, args));
}
