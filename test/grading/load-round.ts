/** Loads one real round file (schema-validated) so grading tests do not depend on every other round being finished. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { contentPaths } from "../../src/engine/content/paths.js";
import { roundSchema, type Question, type Round } from "../../src/engine/content/schema.js";

export function loadRound(id: string): Round {
  const file = join(contentPaths().roundsDir, `${id}.yaml`);
  return roundSchema.parse(parse(readFileSync(file, "utf8")));
}

export function questionOf(round: Round, id: string): Question {
  const question = round.questions.find((q) => q.id === id);
  if (!question) throw new Error(`question ${id} not found in rounds/${round.id}.yaml`);
  return question;
}
