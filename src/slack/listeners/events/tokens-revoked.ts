import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { WorkspaceDirectory } from "../../workspaces.js";

/** Slack revoked tokens: a revoked bot token is handled as an uninstall; revoked user tokens are forgotten. */
export async function tokensRevokedCallback(
  workspaces: WorkspaceDirectory,
  { event, context, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<"tokens_revoked">,
): Promise<void> {
  try {
    await workspaces.tokensRevoked(context, { oauth: event.tokens.oauth, bot: event.tokens.bot });
  } catch (error) {
    logger.error(`tokens_revoked: ${(error as Error).message}`);
  }
}
