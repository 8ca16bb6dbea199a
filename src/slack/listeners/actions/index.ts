import type { App, BlockButtonAction } from "@slack/bolt";
import { ACTION_IDS } from "../../blocks/action-ids.js";
import type { SlackDeps } from "../../deps.js";
import { hintActionCallback, modelAnswerActionCallback, skipActionCallback } from "./question-buttons.js";

export function registerActions(app: App, deps: SlackDeps): void {
  app.action<BlockButtonAction>(ACTION_IDS.hint, (args) => hintActionCallback(deps, args));
  app.action<BlockButtonAction>(ACTION_IDS.skip, (args) => skipActionCallback(deps, args));
  app.action<BlockButtonAction>(ACTION_IDS.modelAnswer, (args) => modelAnswerActionCallback(deps, args));
}
