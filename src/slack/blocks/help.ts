import type { KnownBlock } from "@slack/types";
import type { Round } from "../../engine/content/schema.js";
import { context, escapeMrkdwn, mrkdwn, section } from "./text.js";

export interface HelpEntry {
  usage: string;
  description: string;
}

/** `/interview help`, optionally opened by a line explaining what went wrong. */
export function helpBlocks(entries: HelpEntry[], problem?: string): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [];
  if (problem) blocks.push(section(mrkdwn`:warning: ${problem}`));
  blocks.push(
    section(
      "*Mock interviews for the Machine Learning Engineer loop*\n" +
        entries.map((e) => `\`${escapeMrkdwn(e.usage)}\` — ${escapeMrkdwn(e.description)}`).join("\n"),
    ),
  );
  blocks.push(context("Example: `/interview ask mlsd` — then reply in the question's thread."));
  return { text: escapeMrkdwn(problem ?? "How to use /interview"), blocks };
}

/** `/interview rounds`: each round with its aliases and question count. */
export function roundsBlocks(rounds: readonly Round[]): { text: string; blocks: KnownBlock[] } {
  const lines = rounds.map((r) => {
    const aliases = r.aliases.length > 0 ? ` (also ${r.aliases.map((a) => `\`${escapeMrkdwn(a)}\``).join(", ")})` : "";
    return `*${escapeMrkdwn(r.title)}* — \`${escapeMrkdwn(r.id)}\`${aliases} · ${r.questions.length} questions`;
  });
  return {
    text: `${rounds.length} rounds`,
    blocks: [
      section(`*Rounds of the loop*\n${lines.join("\n")}`),
      context(mrkdwn`Ask one with \`/interview ask <round>\`, e.g. \`/interview ask ir\`.`),
    ],
  };
}
