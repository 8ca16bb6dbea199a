import type { App } from "@slack/bolt";
import type { WorkspaceDirectory } from "../../workspaces.js";
import { interviewCommandCallback } from "./interview.js";

export function registerCommands(app: App, workspaces: WorkspaceDirectory): void {
  app.command("/interview", async (args) => interviewCommandCallback(await workspaces.depsFor(args.context), args));
}
