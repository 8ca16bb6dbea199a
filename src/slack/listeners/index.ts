import type { App } from "@slack/bolt";
import type { WorkspaceDirectory } from "../workspaces.js";
import { registerActions } from "./actions/index.js";
import { registerCommands } from "./commands/index.js";
import { registerEvents } from "./events/index.js";
import { registerViews } from "./views/index.js";

export function registerListeners(app: App, workspaces: WorkspaceDirectory): void {
  registerCommands(app, workspaces);
  registerEvents(app, workspaces);
  registerActions(app, workspaces);
  registerViews(app, workspaces);
}
