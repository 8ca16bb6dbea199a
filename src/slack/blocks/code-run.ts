import type { KnownBlock } from "@slack/types";
import type { CodeRunOutcome } from "../../engine/interview/service.js";
import type { Verdict } from "../../engine/judge/index.js";
import { escapeLiteral, escapeMrkdwn, SECTION_LIMIT, truncate } from "./text.js";

const VERDICT_LABELS: Record<Verdict, string> = {
  accepted: ":white_check_mark: Accepted",
  wrong_answer: ":x: Wrong answer",
  time_limit_exceeded: ":hourglass: Time limit exceeded",
  memory_limit_exceeded: ":boom: Memory limit exceeded",
  output_limit_exceeded: ":scroll: Output limit exceeded",
  runtime_error: ":warning: Runtime error",
  compile_error: ":warning: Syntax error",
  rejected: ":no_entry: Rejected",
};

/** Code in a Slack code block: backticks are broken up so untrusted output cannot close the block. */
function codeBlock(text: string, max = 1200): string {
  return "```" + escapeLiteral(truncate(text, max)).replace(/```/g, "`\u200b``") + "```";
}

function compactJson(value: unknown): string {
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json;
}

/** The judge's verdict: label, pass count, time, per-test marks, and the first failure (full detail only for visible examples). */
export function codeRunBlocks(run: CodeRunOutcome): KnownBlock[] {
  const r = run.result;
  const timing = r.cpuMs !== undefined ? ` · ${Math.round(r.cpuMs)} ms CPU of ${r.limits.timeMs} ms` : "";
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: `*${VERDICT_LABELS[r.verdict]}* · ${r.passed}/${r.total} tests passed · ${escapeMrkdwn(r.language)}${timing}${r.sandboxed ? "" : " · :warning: ran without a sandbox"}`,
      },
    },
  ];
  if (r.tests.length > 0) {
    const marks = r.tests.map((t) => `${t.passed ? "✓" : "✗"} ${escapeMrkdwn(t.name)}${t.hidden ? "" : " (example)"}`);
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: truncate(marks.join("   "), 2900) }] });
  }
  const lines: string[] = [];
  if (r.failure) {
    const f = r.failure;
    lines.push(`*First failing test:* ${escapeMrkdwn(f.name)}${f.hidden ? " (hidden)" : ""}`);
    if (!f.hidden && f.input !== undefined) lines.push(`Input: ${codeBlock(compactJson(f.input), 600)}`, `Expected: ${codeBlock(compactJson(f.expected), 400)}`, `Got: ${codeBlock(compactJson(f.got), 400)}`);
    if (f.message) lines.push(truncate(escapeMrkdwn(f.message), 400));
  }
  if (r.message) lines.push(codeBlock(r.message));
  if (lines.length > 0) blocks.push({ type: "section", text: { type: "mrkdwn", text: truncate(lines.join("\n"), SECTION_LIMIT) } });
  return blocks;
}
