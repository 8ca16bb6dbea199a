import { askSubcommand } from "./ask.js";
import { helpSubcommand } from "./help.js";
import { roundsSubcommand } from "./rounds.js";
import type { Subcommand } from "./types.js";

/** Every `/interview` subcommand, in the order help lists them. */
export const subcommands: Subcommand[] = [];
subcommands.push(askSubcommand, roundsSubcommand, helpSubcommand(() => subcommands));

export function findSubcommand(name: string): Subcommand | undefined {
  const lower = name.toLowerCase();
  return subcommands.find((s) => s.name === lower || s.aliases?.includes(lower));
}
