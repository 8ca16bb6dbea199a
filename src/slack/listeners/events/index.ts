import type { App } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { threadReplyCallback } from "./thread-reply.js";

export function registerEvents(app: App, deps: SlackDeps): void {
  app.event("message", (args) => threadReplyCallback(deps, args));
}
