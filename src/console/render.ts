import type { Critique } from "../engine/grading/types.js";
import type { CodeRunSummary } from "../engine/grading/types.js";

const SIGNALS: Record<Critique["signal"], string> = {
  "strong-no-hire": "Strong no hire",
  "no-hire": "No hire",
  hire: "Hire",
  "strong-hire": "Strong hire",
};

function wrap(text: string, width = 96, indent = "  "): string {
  const words = text.replace(/\s+/g, " ").trim().split(" ");
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if ((line + " " + word).trim().length > width - indent.length) {
      lines.push(line);
      line = word;
    } else line = `${line} ${word}`.trim();
  }
  if (line) lines.push(line);
  return lines.map((l) => indent + l).join("\n");
}

/** The critique as plain text for the terminal (the console and `cli grade` without --json). */
export function renderCritique(c: Critique, options: { nextFollowUp?: string } = {}): string {
  const out: string[] = [];
  out.push(`Overall ${c.overall.toFixed(2)} / 4 · ${SIGNALS[c.signal]}`);
  out.push(
    c.grader === "llm"
      ? `(graded by an LLM interviewer${c.model ? `: ${c.model}` : ""})`
      : `(offline rubric check — key-point coverage, not an interviewer's judgement${c.fallbackReason ? `; LLM unavailable: ${c.fallbackReason}` : ""})`,
  );
  if (c.injectionSuspected) out.push("! Instructions aimed at the grader were found in the answer; they were ignored.");
  out.push("");
  for (const d of c.dimensions) {
    out.push(`${d.title}: ${d.score}/4${d.cappedAt ? ` (capped at ${d.cappedAt}: hint taken)` : ""}`);
    out.push(wrap(d.justification));
    if (d.evidence[0]) out.push(wrap(`“${d.evidence[0]}”`, 96, "    > "));
  }
  if (c.strengths.length > 0) out.push("", "Strengths:", ...c.strengths.map((s) => wrap(`- ${s}`)));
  if (c.gaps.length > 0) out.push("", "Gaps:", ...c.gaps.map((s) => wrap(`- ${s}`)));
  if (options.nextFollowUp) out.push("", `Follow-up: ${options.nextFollowUp}`);
  return out.join("\n");
}

export function renderCodeRun(s: CodeRunSummary): string {
  return `Code (${s.language}): ${s.verdict} — ${s.passed}/${s.total} tests passed${s.detail ? `\n${s.detail}` : ""}`;
}
