/** `npm run cli -- <command>`: grading and judging from the shell, as the bot would. */
import { configFromEnvironment } from "../app/env.js";
import { ContentError } from "../engine/content/load.js";
import { GRADE_USAGE, runGradeCommand } from "./grade-command.js";
import { runJudgeCommand } from "./judge-command.js";
import { runQuestionsCommand } from "./questions-command.js";

const USAGE = `Usage:
  ${GRADE_USAGE}
  npm run cli -- judge <question-id> --lang python|javascript --file <solution> [--json]
  npm run cli -- questions [round]`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "grade":
      return runGradeCommand(rest, configFromEnvironment());
    case "judge":
      return runJudgeCommand(rest);
    case "questions":
      return runQuestionsCommand(rest);
    default:
      console.error(command ? `Unknown command "${command}".\n${USAGE}` : USAGE);
      return 2;
  }
}

// exitCode, not exit(): large JSON on a pipe must be flushed before the process ends.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ContentError) console.error(error.message);
    else if ((error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) console.error(`${(error as Error).message}\n${USAGE}`);
    else console.error((error as Error).stack ?? String(error));
    process.exitCode = error instanceof ContentError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS") ? 2 : 1;
  },
);
