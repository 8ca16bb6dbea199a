/** What a candidate can type, alone, as a reply in a loop thread instead of an answer. */
export type LoopCommand = "hint" | "next" | "skip" | "end" | "model-answer";

const WORDS: Readonly<Record<string, LoopCommand>> = {
  hint: "hint",
  "a hint": "hint",
  next: "next",
  "next question": "next",
  "move on": "next",
  skip: "skip",
  pass: "skip",
  end: "end",
  "end loop": "end",
  "end the loop": "end",
  "model answer": "model-answer",
  model: "model-answer",
};

/**
 * The command a reply is, if it is nothing but a command word (case, surrounding spaces, a leading
 * slash or trailing punctuation aside). A sentence that merely contains "next" is an answer.
 */
export function parseLoopCommand(text: string): LoopCommand | undefined {
  const word = text
    .trim()
    .toLowerCase()
    .replace(/^[/`*_]+|[`*_.!?]+$/g, "")
    .replace(/\s+/g, " ");
  return WORDS[word];
}
