/**
 * `npm run cli -- judge <question-id> --lang python|javascript --file <path> [--json]`
 * Exit codes: 0 accepted, 1 judged and not accepted (an oversized source is judged `rejected`),
 * 2 invalid request (unknown question or language, missing file, bad arguments).
 */
import { QuestionBank } from "../engine/content/bank.js";
import { loadRounds } from "../engine/content/load.js";
import { contentPaths } from "../engine/content/paths.js";
import { InputFileError, parseLanguage, readInputFile } from "./input-file.js";
import { createJudge, type Judge } from "../engine/judge/judge.js";
import { JudgeRequestError } from "../engine/judge/errors.js";
import type { JudgeResult } from "../engine/judge/types.js";

export const JUDGE_USAGE = "interview-coach judge <question-id> --lang python|py|javascript|js --file <solution> [--json]";

/** Injection points for tests: a bank (fixture questions), a judge, where output goes. */
export interface JudgeCommandIo {
  bank?: QuestionBank;
  judge?: Judge;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

interface ParsedArgs {
  questionId: string;
  language: string;
  file: string;
  json: boolean;
}

function parseArgs(argv: string[]): ParsedArgs | string {
  let language: string | undefined;
  let file: string | undefined;
  let json = false;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--lang":
      case "--language":
      case "-l":
        language = value();
        break;
      case "--file":
      case "-f":
        file = value();
        break;
      case "--json":
        json = true;
        break;
      default:
        if (arg.startsWith("-")) return `unknown option ${arg}`;
        positional.push(arg);
    }
  }
  if (positional.length !== 1) return positional.length === 0 ? "missing the question id" : `expected one question id, got ${positional.length}: ${positional.join(" ")}`;
  if (!language) return "missing --lang (python or javascript)";
  if (!file) return "missing --file";
  return { questionId: positional[0] as string, language, file, json };
}

const VERDICT_LABEL: Record<JudgeResult["verdict"], string> = {
  accepted: "ACCEPTED",
  wrong_answer: "WRONG ANSWER",
  time_limit_exceeded: "TIME LIMIT EXCEEDED",
  memory_limit_exceeded: "MEMORY LIMIT EXCEEDED",
  output_limit_exceeded: "OUTPUT LIMIT EXCEEDED",
  runtime_error: "RUNTIME ERROR",
  compile_error: "COMPILE ERROR",
  rejected: "REJECTED",
};

export function formatJudgeResult(result: JudgeResult): string {
  const lines: string[] = [];
  const timing =
    result.cpuMs !== undefined ? ` in ${result.cpuMs} ms CPU (${result.wallMs} ms wall)` : result.wallMs !== undefined ? ` in ${result.wallMs} ms` : "";
  lines.push(
    `${result.questionId} (${result.language}): ${VERDICT_LABEL[result.verdict]} — ${result.passed}/${result.total} tests passed${timing} (limits: ${result.limits.timeMs} ms CPU, ${result.limits.memoryMb} MB)`,
  );
  if (!result.sandboxed && result.verdict !== "rejected") lines.push("WARNING: this code ran WITHOUT a sandbox.");
  // Nothing ran: the reason, once, instead of a list of tests that were never run.
  if ((result.verdict === "compile_error" || result.verdict === "rejected") && result.message) {
    lines.push("", result.message);
    return lines.join("\n");
  }
  for (const test of result.tests) {
    const mark = test.passed ? "✓" : "✗";
    const time = test.timeMs !== undefined ? ` (${test.timeMs} ms)` : "";
    const hidden = test.hidden ? " [hidden]" : "";
    lines.push(`  ${mark} ${test.name}${hidden}${time}${test.error ? ` — ${test.error}` : ""}`);
  }
  const failure = result.failure;
  if (failure) {
    lines.push("", `First failing test: ${failure.name}${failure.hidden ? " (hidden)" : ""}`);
    // Hidden tests by name only: their data never leaves the judge.
    if (!failure.hidden && failure.input !== undefined) lines.push(`  input:    ${JSON.stringify(failure.input)}`);
    if (!failure.hidden && failure.expected !== undefined) lines.push(`  expected: ${JSON.stringify(failure.expected)}`);
    if (!failure.hidden && "got" in failure) lines.push(`  got:      ${JSON.stringify(failure.got)}`);
    if (failure.message) lines.push(`  ${failure.message}`);
  }
  if (result.message) lines.push("", result.message);
  return lines.join("\n");
}

export async function runJudgeCommand(argv: string[], io: JudgeCommandIo = {}): Promise<number> {
  const out = io.out ?? ((text: string) => process.stdout.write(`${text}\n`));
  const err = io.err ?? ((text: string) => process.stderr.write(`${text}\n`));
  const parsed = parseArgs(argv);
  if (typeof parsed === "string") {
    err(`judge: ${parsed} (usage: ${JUDGE_USAGE})`);
    return 2;
  }
  const language = parseLanguage(parsed.language);
  if (!language) {
    err(`judge: unsupported language "${parsed.language}" (use python, py, javascript or js)`);
    return 2;
  }
  let source: string;
  try {
    source = await readInputFile(parsed.file);
  } catch (error) {
    if (!(error instanceof InputFileError)) throw error;
    err(`judge: ${error.message}`);
    return 2;
  }
  const bank = io.bank ?? new QuestionBank(loadRounds(contentPaths().roundsDir));
  const ref = bank.find(parsed.questionId);
  if (!ref) {
    err(`judge: unknown question "${parsed.questionId}"`);
    return 2;
  }
  if (!ref.question.coding) {
    err(`judge: "${parsed.questionId}" is not a coding question`);
    return 2;
  }
  const judge = io.judge ?? (await createJudge({ bank }));
  if (judge.reason) err(`judge: ${judge.reason}`);

  let result: JudgeResult;
  try {
    result = await judge.judge(parsed.questionId, language, source);
  } catch (error) {
    if (error instanceof JudgeRequestError) {
      err(`judge: ${error.message}`);
      return 2;
    }
    throw error;
  }
  out(parsed.json ? JSON.stringify(result, null, 2) : formatJudgeResult(result));
  return result.verdict === "accepted" ? 0 : 1;
}
