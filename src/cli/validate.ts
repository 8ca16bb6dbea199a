/**
 * `interview-coach validate` (`npm run validate`): checks every round file and prompt, prints each
 * problem with file and path, and refreshes rounds/round.schema.json for editor completion.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ContentError, loadRoundFiles } from "../engine/content/load.js";
import { checkPatterns } from "../engine/content/phrase-fixtures.js";
import { roundJsonSchema } from "../engine/content/json-schema.js";
import { contentPaths } from "../engine/content/paths.js";

export const VALIDATE_USAGE = "interview-coach validate";

/** Returns the exit code: 0 valid, 1 content problems (listed on stderr). */
export function runValidateCommand(): number {
  const { roundsDir } = contentPaths();
  writeFileSync(join(roundsDir, "round.schema.json"), JSON.stringify(roundJsonSchema(), null, 2) + "\n");
  try {
    const files = loadRoundFiles(roundsDir);
    const fixtureIssues = checkPatterns(files);
    if (fixtureIssues.length > 0) throw new ContentError(fixtureIssues);
    const rounds = files.map((f) => f.round);
    for (const r of rounds) console.log(`ok  ${r.id.padEnd(18)} ${r.questions.length} questions, ${r.rubric.length} rubric dimensions`);
    return 0;
  } catch (e) {
    if (e instanceof ContentError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}
