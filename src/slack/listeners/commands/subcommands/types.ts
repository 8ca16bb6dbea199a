import type { RespondFn, SlashCommand } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { SlackDeps } from "../../../deps.js";

export interface SubcommandContext {
  deps: SlackDeps;
  command: SlashCommand;
  /** Words after the subcommand name. */
  args: string[];
  client: WebClient;
  respond: RespondFn;
}

/** One `/interview <name> …` subcommand; the registry lists them for dispatch and help. */
export interface Subcommand {
  name: string;
  aliases?: string[];
  usage: string;
  description: string;
  run(ctx: SubcommandContext): Promise<void>;
}
