import type { App, BlockButtonAction, BlockStaticSelectAction } from "@slack/bolt";
import { ACTION_IDS } from "../../blocks/action-ids.js";
import type { WorkspaceDirectory } from "../../workspaces.js";
import { editScheduleCallback, pauseFromHomeCallback, resumeFromHomeCallback, stopFromHomeCallback } from "./home-controls.js";
import { hintActionCallback, modelAnswerActionCallback, skipActionCallback } from "./question-buttons.js";

export function registerActions(app: App, workspaces: WorkspaceDirectory): void {
  app.action<BlockButtonAction>(ACTION_IDS.hint, async (args) => hintActionCallback(await workspaces.depsFor(args.context), args));
  app.action<BlockButtonAction>(ACTION_IDS.skip, async (args) => skipActionCallback(await workspaces.depsFor(args.context), args));
  app.action<BlockButtonAction>(ACTION_IDS.modelAnswer, async (args) => modelAnswerActionCallback(await workspaces.depsFor(args.context), args));
  app.action<BlockButtonAction>(ACTION_IDS.homeEditSchedule, async (args) => editScheduleCallback(await workspaces.depsFor(args.context), args));
  app.action<BlockStaticSelectAction>(ACTION_IDS.homePause, async (args) => pauseFromHomeCallback(await workspaces.depsFor(args.context), args));
  app.action<BlockButtonAction>(ACTION_IDS.homeResume, async (args) => resumeFromHomeCallback(await workspaces.depsFor(args.context), args));
  app.action<BlockButtonAction>(ACTION_IDS.homeStop, async (args) => stopFromHomeCallback(await workspaces.depsFor(args.context), args));
}
