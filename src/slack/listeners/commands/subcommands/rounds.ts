import { roundsBlocks } from "../../../blocks/help.js";
import type { Subcommand } from "./types.js";

export const roundsSubcommand: Subcommand = {
  name: "rounds",
  usage: "/interview rounds",
  description: "list the rounds with their question counts",
  async run({ deps, respond }) {
    await respond({ response_type: "ephemeral", ...roundsBlocks(deps.interview.bank.rounds) });
  },
};
