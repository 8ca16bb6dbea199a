import type { App } from "@slack/bolt";
import { VIEW_IDS } from "../../blocks/action-ids.js";
import type { SlackDeps } from "../../deps.js";
import { scheduleModalSubmitCallback } from "./schedule-modal.js";

export function registerViews(app: App, deps: SlackDeps): void {
  app.view(VIEW_IDS.scheduleModal, (args) => scheduleModalSubmitCallback(deps, args as Parameters<typeof scheduleModalSubmitCallback>[1]));
}
