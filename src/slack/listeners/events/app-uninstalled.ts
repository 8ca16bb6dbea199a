import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { WorkspaceDirectory } from "../../workspaces.js";

/**
 * The app was removed from a workspace: its installation (tokens) is deleted and its daily questions and
 * paced rounds stop. Its people's data and subscriptions stay stored and resume when it is installed again.
 * Bolt delivers this event without authorizing it (the token is already gone).
 */
export async function appUninstalledCallback(
  workspaces: WorkspaceDirectory,
  { context, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<"app_uninstalled">,
): Promise<void> {
  try {
    await workspaces.uninstalled(context);
  } catch (error) {
    logger.error(`app_uninstalled: ${(error as Error).message}`);
  }
}
