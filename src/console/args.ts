import { parseArgs } from "node:util";
import type { QuestionBank } from "../engine/content/bank.js";
import type { Round } from "../engine/content/schema.js";

export const PRACTICE_USAGE = `Usage: npm run practice -- [--round <round>] | --loop [--with-hm]

Practise interview questions in this terminal, graded as in Slack.

Options:
  -r, --round <name>   questions from one round (mlsd, ir, code, hm, modeling, bh), or one question by id
      --loop           a full mock onsite, round by round, ending in a debrief
      --with-hm        with --loop: start with the hiring-manager chat
  -h, --help           this help

While answering: write as many paragraphs as you like, then type /done on a line of its own (or press
Ctrl-D). Type hint, model, skip or quit on a line of its own — they act at once.`;

export type PracticeArgs = { kind: "help" } | { kind: "error"; message: string } | { kind: "run"; round?: string; loop: boolean; withHm: boolean };

/** Reads the practice console's flags; errors are one line, to print before anything else (exit 2). */
export function parsePracticeArgs(argv: string[]): PracticeArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { round: { type: "string", short: "r" }, loop: { type: "boolean" }, "with-hm": { type: "boolean" }, help: { type: "boolean", short: "h" } },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    return { kind: "error", message: (error as Error).message.split("\n")[0]! };
  }
  if (values.help) return { kind: "help" };
  if (values["with-hm"] && !values.loop) return { kind: "error", message: "--with-hm goes with --loop (npm run practice -- --loop --with-hm)" };
  if (values.loop && values.round) return { kind: "error", message: "--round and --loop do not go together: a mock onsite runs every round" };
  if (values.round !== undefined && values.round.trim() === "") return { kind: "error", message: "--round needs a round name, e.g. --round mlsd" };
  return { kind: "run", round: values.round, loop: Boolean(values.loop), withHm: Boolean(values["with-hm"]) };
}

/** `mlsd (ml-system-design, design, system-design) — ML system design`: short name first, then the id and other aliases. */
export function roundLine(round: Round): string {
  const [short, ...others] = round.aliases.length > 0 ? round.aliases : [round.id];
  const also = [round.id, ...others].filter((n) => n !== short);
  return `${short!.padEnd(10)} ${round.title}${also.length > 0 ? `  (also: ${also.join(", ")})` : ""}`;
}

/** Every round as `roundLine`s, for help and for an unknown round. */
export function roundList(bank: QuestionBank): string {
  return bank.rounds.map((r) => `  ${roundLine(r)}`).join("\n");
}
