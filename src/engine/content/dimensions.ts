import type { Question, Round } from "./schema.js";

/**
 * The rubric dimensions a question is scored on: the ones it lists, in rubric order. Every question
 * lists its dimensions (schema.ts) and load.ts rejects an unknown one, so the result is never empty
 * for loaded content; a hand-built question listing none of the rubric's ids falls back to the rubric.
 */
export function applicableDimensions(round: Round, question: Question): Round["rubric"] {
  const wanted = new Set(question.dimensions);
  const dims = round.rubric.filter((d) => wanted.has(d.id));
  return dims.length > 0 ? dims : round.rubric;
}
