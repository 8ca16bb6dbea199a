import type { JudgeResult, Verdict } from "../engine/judge/types.js";

/** Verdicts in words, with what they mean for the candidate. */
export const VERDICT_WORDS: Record<Verdict, string> = {
  accepted: "Accepted — every test passed",
  wrong_answer: "Wrong answer",
  time_limit_exceeded: "Time limit exceeded — too slow for the largest tests",
  memory_limit_exceeded: "Memory limit exceeded",
  output_limit_exceeded: "Output limit exceeded — the program printed too much",
  runtime_error: "Runtime error — the code crashed",
  compile_error: "Syntax error — the code did not compile, so no test ran",
  rejected: "Not run",
};

function compact(value: unknown): string {
  const json = JSON.stringify(value);
  const text = json === undefined ? String(value) : json;
  return text.length > 300 ? `${text.slice(0, 297)}…` : text;
}

/**
 * The judge's result as plain text: the verdict in words with the pass count; a compile error's
 * message first and once (no list of tests that never ran); for the first failing test, its input,
 * expected and got when it is a visible example, and only its name when it is hidden.
 * `perTest` lists every test with a mark (the CLI); the console keeps to the summary.
 */
export function renderJudgeResult(result: JudgeResult, options: { perTest?: boolean; timing?: boolean } = {}): string {
  const lines: string[] = [];
  const timing =
    options.timing && result.cpuMs !== undefined
      ? ` · ${Math.round(result.cpuMs)} ms CPU of ${result.limits.timeMs} ms`
      : "";
  const count = result.verdict === "compile_error" || result.verdict === "rejected" ? "" : ` · ${result.passed}/${result.total} tests passed`;
  lines.push(`${VERDICT_WORDS[result.verdict]}${count} (${result.language})${timing}`);
  if (!result.sandboxed && result.verdict !== "rejected") lines.push("WARNING: this code ran WITHOUT a sandbox.");
  if ((result.verdict === "compile_error" || result.verdict === "rejected") && result.message) {
    lines.push("", indent(result.message));
    return lines.join("\n");
  }
  if (options.perTest) {
    for (const test of result.tests) {
      const time = test.timeMs !== undefined ? ` (${test.timeMs} ms)` : "";
      lines.push(`  ${test.passed ? "✓" : "✗"} ${test.name}${test.hidden ? " [hidden]" : " [example]"}${time}${test.error ? ` — ${test.error}` : ""}`);
    }
  }
  const failure = result.failure;
  if (failure) {
    lines.push("", failure.hidden ? `First failing test: ${failure.name} (a hidden test: its data stays hidden)` : `First failing test: ${failure.name} (a visible example)`);
    if (!failure.hidden) {
      if (failure.input !== undefined) lines.push(`  input:    ${compact(failure.input)}`);
      if (failure.expected !== undefined) lines.push(`  expected: ${compact(failure.expected)}`);
      if ("got" in failure) lines.push(`  got:      ${compact(failure.got)}`);
    }
    if (failure.message) lines.push(indent(failure.message));
  }
  if (result.message) lines.push("", indent(result.message));
  return lines.join("\n");
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}
