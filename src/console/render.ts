import type { Critique } from "../engine/grading/types.js";
import type { AnswerOutcome } from "../engine/interview/service.js";
import { SUBMIT_LINE } from "./read-answer.js";
import { renderJudgeResult } from "./verdict.js";

const SIGNALS: Record<NonNullable<Critique["signal"]>, string> = {
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

/** "Overall 3.10 / 4 · Hire" for the LLM; the offline check's number is key-point coverage and says so. */
function headline(c: Critique): string {
  return c.signal === null ? `Key-point coverage ${c.overall.toFixed(2)} / 4 (no hire signal)` : `Overall ${c.overall.toFixed(2)} / 4 · ${SIGNALS[c.signal]}`;
}

/**
 * The critique as plain text for the terminal (the console and `cli grade` without --json). A reply to
 * a follow-up probe gets feedback on that reply (added, still missing, what moved), not a reprint.
 */
export function renderCritique(c: Critique, options: { nextFollowUp?: string } = {}): string {
  const out: string[] = [];
  out.push(headline(c));
  out.push(
    c.grader === "llm"
      ? `(graded by an LLM interviewer${c.model ? `: ${c.model}` : ""})`
      : `(offline rubric check — key-point coverage, not an interviewer's judgement${c.fallbackReason ? `; LLM unavailable: ${c.fallbackReason}` : ""})`,
  );
  if (c.injectionSuspected) out.push("! Instructions aimed at the grader were found in the answer; they were ignored.");
  if (c.relevance && !c.relevance.addressesQuestion) {
    const other = c.relevance.closerTo ? ` It reads like an answer to: ${c.relevance.closerTo.prompt}` : "";
    out.push(wrap(`! This answer does not address the question asked, so its scores are capped at 2.${other}`, 96, ""));
  }
  if (c.corrections.length > 0) {
    out.push("", "Corrections:");
    for (const k of c.corrections) {
      out.push(wrap(`- Not quite: ${k.claim}`));
      if (k.quote) out.push(wrap(`“${k.quote}”`, 96, "    > "));
      out.push(wrap(k.correction, 96, "    "));
    }
  }
  const f = c.followUpFeedback;
  if (f) {
    out.push("", wrap(`You were asked: ${f.probe}`, 96, ""));
    out.push(f.added.length > 0 ? "Your reply added:" : "Your reply added no key point the earlier answer lacked.");
    out.push(...f.added.map((s) => wrap(`+ ${s}`)));
    out.push(f.moved.length > 0 ? `Moved: ${f.moved.map((m) => `${m.title} ${m.from} → ${m.to}`).join(" · ")}` : "Moved: no dimension changed.");
    if (f.stillMissing.length > 0) out.push("Still missing:", ...f.stillMissing.map((s) => wrap(`- ${s}`)));
  } else {
    out.push("");
    for (const d of c.dimensions) {
      out.push(`${d.title}: ${d.score}/4${d.cappedAt ? ` (capped at ${d.cappedAt})` : ""}`);
      out.push(wrap(d.justification));
      if (d.evidence[0]) out.push(wrap(`“${d.evidence[0]}”`, 96, "    > "));
    }
    if (c.strengths.length > 0) out.push("", "Strengths:", ...c.strengths.map((s) => wrap(`- ${s}`)));
    if (c.gaps.length > 0) out.push("", "Gaps:", ...c.gaps.map((s) => wrap(`- ${s}`)));
  }
  if (options.nextFollowUp) out.push("", `Follow-up: ${options.nextFollowUp}`);
  return out.join("\n");
}

/**
 * The terminal reply to an answer: the verdict and critique, or what is missing. `whatNext` says what
 * the person can type after a critique (it differs between practice and the mock loop).
 */
export function renderAnswerOutcome(outcome: AnswerOutcome, whatNext: (nextFollowUp?: string) => string): string | undefined {
  switch (outcome.kind) {
    case "graded": {
      const parts = [""];
      if (outcome.codeRun) parts.push(renderJudgeResult(outcome.codeRun.result) + "\n");
      if (outcome.codeExecutionOff) parts.push(`(code execution is off: ${outcome.codeExecutionOff}; reviewed, not run)\n`);
      parts.push(renderCritique(outcome.critique, { nextFollowUp: outcome.nextFollowUp }), `\n${whatNext(outcome.nextFollowUp)}`);
      return parts.join("\n");
    }
    case "needs-code":
      return `This is a coding question and I found no code in that. Paste your code (a \`\`\`python or \`\`\`js block), then ${SUBMIT_LINE}.`;
    case "too-long":
      return `That answer is ${outcome.length} characters; the limit is ${outcome.limit}. Trim it and try again.`;
    case "empty":
      return `Type your answer, then ${SUBMIT_LINE} on a line of its own.`;
    case "closed":
      return undefined;
  }
}
