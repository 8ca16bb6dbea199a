import { askSubcommand } from "./ask.js";
import { dailySubcommand } from "./daily.js";
import { helpSubcommand } from "./help.js";
import { loopSubcommand } from "./loop.js";
import { loopsSubcommand } from "./loops.js";
import { pauseSubcommand } from "./pause.js";
import { roundsSubcommand } from "./rounds.js";
import { statsSubcommand } from "./stats.js";
import type { Subcommand } from "./types.js";

/** Every `/interview` subcommand, in the order help lists them. */
export const subcommands: Subcommand[] = [];
subcommands.push(askSubcommand, roundsSubcommand, dailySubcommand, pauseSubcommand, statsSubcommand, loopSubcommand, loopsSubcommand, helpSubcommand(() => subcommands));

export function findSubcommand(name: string): Subcommand | undefined {
  const lower = name.toLowerCase();
  return subcommands.find((s) => s.name === lower || s.aliases?.includes(lower));
}
