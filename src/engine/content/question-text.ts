import type { Question } from "./schema.js";

/**
 * The prompt as the candidate should read it. Inside a mock loop a chained seed question follows
 * the one before it and keeps the seed's wording; asked on its own (a daily question, `ask`), it
 * carries the context that the earlier question would have given.
 */
export function promptAsAsked(question: Question, where: "loop" | "standalone"): string {
  if (where === "loop" || !question.standaloneContext) return question.prompt;
  return `${question.standaloneContext}\n\n${question.prompt}`;
}
