import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { SlackDeps } from "../../deps.js";
import { publishHome } from "../../schedule/home.js";

/** Publishes the viewer's own schedule and progress each time they open the Home tab. */
export async function appHomeOpenedCallback(
  deps: SlackDeps,
  { event, client, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<"app_home_opened">,
): Promise<void> {
  if (event.tab !== "home") return;
  try {
    await publishHome(deps.schedule, deps.interview, client, event.user);
  } catch (error) {
    logger.error(`app_home_opened: could not publish the Home tab: ${(error as Error).message}`);
  }
}
