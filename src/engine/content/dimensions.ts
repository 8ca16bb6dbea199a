import type { Question, Round } from "./schema.js";

/** The rubric dimensions a question is scored on: its own list, or the whole rubric when it has none. */
export function applicableDimensions(round: Round, question: Question): Round["rubric"] {
  const listed = question.dimensions;
  return listed ? round.rubric.filter((d) => listed.includes(d.id)) : round.rubric;
}
