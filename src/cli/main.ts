/**
 * `interview-coach <command>` (the package's bin; `npm run cli -- <command>` in a checkout): grading,
 * judging and content checks from the shell, as the bot would. Output for `--json` is JSON only, on
 * stdout; messages go to stderr. Exit codes: 0 ok / accepted, 1 judged and not accepted (or invalid
 * content), 2 a bad request (flags, unknown ids, unusable files).
 */
import { GRADE_USAGE } from "./grade-command.js";
import { JUDGE_USAGE } from "./judge-command.js";
import { VALIDATE_USAGE } from "./validate.js";

const USAGE = `Usage:
  ${GRADE_USAGE}
      grade an answer as the bot would (LLM with OPENAI_API_KEY, else the offline rubric check)
  ${JUDGE_USAGE}
      run a solution in the sandbox against the question's tests (exit 0 accepted, 1 not)
  interview-coach questions [round]
      question ids, by round (rounds by short name: mlsd, ir, code, …)
  ${VALIDATE_USAGE}
      check every round file (exit 1 with each problem listed)

Exit codes: 0 ok, 1 not accepted / invalid content, 2 bad request. --json prints only JSON on stdout.`;

const isHelp = (args: string[]) => args.some((a) => a === "--help" || a === "-h");

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    (command === undefined ? console.error : console.log)(USAGE);
    return command === undefined ? 2 : 0;
  }
  const usage = { grade: GRADE_USAGE, judge: JUDGE_USAGE, questions: "interview-coach questions [round]", validate: VALIDATE_USAGE }[command];
  if (usage && isHelp(rest)) {
    console.log(`Usage: ${usage}`);
    return 0;
  }
  switch (command) {
    case "grade": {
      const [{ configFromEnvironment }, { runGradeCommand }] = await Promise.all([import("../app/env.js"), import("./grade-command.js")]);
      return runGradeCommand(rest, configFromEnvironment());
    }
    case "judge":
      return (await import("./judge-command.js")).runJudgeCommand(rest);
    case "questions":
      return (await import("./questions-command.js")).runQuestionsCommand(rest);
    case "validate":
      return (await import("./validate.js")).runValidateCommand();
    default:
      console.error(`Unknown command "${command}". Run: interview-coach --help`);
      return 2;
  }
}

// exitCode, not exit(): large JSON on a pipe must be flushed before the process ends.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const code = (error as { code?: string }).code;
    if ((error as Error).name === "ContentError") console.error((error as Error).message);
    else if (code?.startsWith("ERR_PARSE_ARGS")) console.error(`${(error as Error).message.split("\n")[0]}. Run: interview-coach --help`);
    else console.error((error as Error).stack ?? String(error));
    process.exitCode = (error as Error).name === "ContentError" || code?.startsWith("ERR_PARSE_ARGS") ? 2 : 1;
  },
);
