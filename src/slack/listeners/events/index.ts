import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { appHomeOpenedCallback } from "./app-home-opened.js";
import { threadReplyCallback } from "./thread-reply.js";
import { userChangeCallback } from "./user-change.js";

export function registerEvents(app: App, deps: SlackDeps): void {
  app.event("message", (args) => threadReplyCallback(deps, args));
  app.event("app_home_opened", (args) => appHomeOpenedCallback(deps, args));
  app.event("user_change", (args) => userChangeCallback(deps, args));
}
