import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { interviewCommandCallback } from "./interview.js";

export function registerCommands(app: App, deps: SlackDeps): void {
  app.command("/interview", (args) => interviewCommandCallback(deps, args));
}
