import { END, INTERRUPT, type LineInput } from "./line-input.js";

/** The line that submits an answer. Blank lines are paragraph breaks (or blank lines in code), never a submit. */
export const SUBMIT_LINE = "/done";

/** One sentence for prompts: how to submit, the same everywhere. */
export const HOW_TO_SUBMIT = `Write your answer (blank lines are kept), then type ${SUBMIT_LINE} on a line of its own — or press Ctrl-D.`;

export type Reply =
  /** A command word typed as the first line: acts on that single Enter. */
  | { kind: "command"; word: string }
  | { kind: "answer"; text: string }
  /** Ctrl-D with nothing typed, the end of piped input, or Ctrl-C. */
  | { kind: "quit" };

/**
 * Reads one reply. A first line that `isCommand` accepts (`hint`, `skip`, `quit`…) comes back at once.
 * Anything else is an answer, read with its blank lines until a `/done` line or Ctrl-D. After three
 * blank lines in a row, `remind` is called once so a person who expects Enter to submit learns how.
 */
export async function readReply(input: LineInput, isCommand: (line: string) => boolean, remind: () => void = () => undefined): Promise<Reply> {
  const collected: string[] = [];
  let blanks = 0;
  let reminded = false;
  for (;;) {
    const line = await input.next();
    if (line === INTERRUPT) return { kind: "quit" };
    if (line === END) {
      const text = collected.join("\n").trim();
      return text ? { kind: "answer", text } : { kind: "quit" };
    }
    if (line.trim() === SUBMIT_LINE) {
      const text = collected.join("\n").trim();
      if (text) return { kind: "answer", text };
      continue;
    }
    if (collected.every((l) => l.trim() === "") && isCommand(line)) return { kind: "command", word: line.trim().toLowerCase().replace(/\s+/g, " ") };
    if (line.trim() === "") {
      blanks++;
      if (blanks >= 3 && !reminded && collected.some((l) => l.trim() !== "")) {
        reminded = true;
        remind();
      }
    } else blanks = 0;
    collected.push(line);
  }
}
