import type { App } from "@slack/bolt";
import { VIEW_IDS } from "../../blocks/action-ids.js";
import type { WorkspaceDirectory } from "../../workspaces.js";
import { scheduleModalSubmitCallback } from "./schedule-modal.js";

export function registerViews(app: App, workspaces: WorkspaceDirectory): void {
  app.view(VIEW_IDS.scheduleModal, async (args) => scheduleModalSubmitCallback(await workspaces.depsFor(args.context), args as Parameters<typeof scheduleModalSubmitCallback>[1]));
}
