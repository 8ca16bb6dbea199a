import { helpBlocks } from "../../../blocks/help.js";
import type { Subcommand } from "./types.js";

/** Built from the registry so help can never drift from what is registered. */
export function helpSubcommand(all: () => Subcommand[]): Subcommand {
  return {
    name: "help",
    usage: "/interview help",
    description: "this message",
    async run({ respond }) {
      await respond({ response_type: "ephemeral", ...helpBlocks(all()) });
    },
  };
}
