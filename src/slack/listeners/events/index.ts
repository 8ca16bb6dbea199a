import type { App } from "@slack/bolt";
import type { WorkspaceDirectory } from "../../workspaces.js";
import { appHomeOpenedCallback } from "./app-home-opened.js";
import { appUninstalledCallback } from "./app-uninstalled.js";
import { tokensRevokedCallback } from "./tokens-revoked.js";
import { threadReplyCallback } from "./thread-reply.js";
import { userChangeCallback } from "./user-change.js";

export function registerEvents(app: App, workspaces: WorkspaceDirectory): void {
  app.event("message", async (args) => threadReplyCallback(await workspaces.depsFor(args.context), args));
  app.event("app_home_opened", async (args) => appHomeOpenedCallback(await workspaces.depsFor(args.context), args));
  app.event("user_change", async (args) => userChangeCallback(await workspaces.depsFor(args.context), args));
  app.event("app_uninstalled", (args) => appUninstalledCallback(workspaces, args));
  app.event("tokens_revoked", (args) => tokensRevokedCallback(workspaces, args));
}
