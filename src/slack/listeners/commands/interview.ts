import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { helpBlocks } from "../../blocks/help.js";
import type { SlackDeps } from "../../deps.js";
import { findSubcommand, subcommands } from "./subcommands/index.js";

/** `/interview <subcommand> …`: acks at once, then runs the subcommand; unknown ones get help with an example. */
export async function interviewCommandCallback(
  deps: SlackDeps,
  { ack, command, client, respond, logger }: AllMiddlewareArgs & SlackCommandMiddlewareArgs,
): Promise<void> {
  await ack();
  const [name = "help", ...args] = command.text.trim().split(/\s+/).filter(Boolean);
  const subcommand = findSubcommand(name);
  if (!subcommand) {
    await respond({ response_type: "ephemeral", ...helpBlocks(subcommands, `Unknown subcommand "${name}".`) });
    return;
  }
  try {
    await subcommand.run({ deps, command, args, client, respond });
  } catch (error) {
    logger.error(`/interview ${subcommand.name} failed: ${(error as Error).message}`);
    await respond({
      response_type: "ephemeral",
      text: `Sorry — \`/interview ${subcommand.name}\` failed on our side. Please try again in a moment.`,
    });
  }
}
