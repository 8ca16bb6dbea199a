import type { Question, Round } from "../engine/content/schema.js";
import type { Debrief, LoopOutcome } from "../engine/loop/records.js";

const OUTCOMES: Record<LoopOutcome, string> = {
  "strong-no-hire": "Strong no hire",
  "no-hire": "No hire",
  hire: "Hire",
  "strong-hire": "Strong hire",
  incomplete: "Incomplete",
  "coverage-only": "No recommendation (offline coverage check)",
};

export const CONSOLE_LOOP_COMMANDS =
  "Commands (on a line of their own, one Enter): hint · next · skip · model answer · end (abandon the loop) · quit (leave; the loop is saved)";

export function renderRoundIntro(round: Round, roundIndex: number, roundCount: number, questionCount: number, minutes: number): string {
  return [
    `══ Mock onsite · Round ${roundIndex + 1} of ${roundCount}: ${round.title} ══`,
    // `round.probes` is the interviewer's brief: never shown to the candidate.
    `Time guide: about ${minutes} min for ${questionCount} question${questionCount > 1 ? "s" : ""} with follow-ups.`,
  ].join("\n");
}

export function renderLoopQuestion(round: Round, question: Question, index: number, total: number): string {
  const minutes = question.timeGuideMinutes ?? round.timeGuideMinutes;
  const code = question.coding ? `\n\nSignatures:\n  ${question.coding.signatures.python}\n  ${question.coding.signatures.javascript}` : "";
  return `── Question ${index + 1} of ${total} · about ${minutes} min · ${question.id} ──\n${question.prompt}${code}`;
}

/** Between rounds: the round's score and signal, its dimensions, and what to practise from it. */
export function renderRoundSummary(round: Debrief["rounds"][number], focus: Debrief["focus"]): string {
  const score = round.signal
    ? `${round.overall.toFixed(2)}/4 · ${OUTCOMES[round.signal]}`
    : `key-point coverage ${round.overall.toFixed(2)}/4 (offline check, no hire signal)`;
  const out = [`── ${round.title} round done: ${score} ──`];
  out.push(`  ${round.dimensions.map((d) => `${d.title} ${d.score.toFixed(1)}${d.cappedAt !== undefined ? ` (capped at ${d.cappedAt})` : ""}`).join(" · ")}`);
  for (const reason of round.reasons) out.push(`  - ${reason}`);
  if (focus.length > 0) out.push("  Practise: " + focus.map((f) => f.why).join("; "));
  return out.join("\n");
}

/** The debrief as plain text: recommendation and rule, each round's scores and reasons, then what to practise. */
export function renderDebrief(debrief: Debrief): string {
  const out: string[] = [];
  out.push(`══ Mock onsite debrief${debrief.complete ? "" : " (ended early)"} ══`);
  out.push(`Recommendation: ${OUTCOMES[debrief.recommendation.outcome]}`);
  out.push(`  ${debrief.recommendation.rule}`);
  for (const reason of debrief.recommendation.reasons) out.push(`  - ${reason}`);
  for (const r of debrief.rounds) {
    out.push("", r.signal ? `${r.title}: ${r.overall.toFixed(2)}/4 · ${OUTCOMES[r.signal]}` : `${r.title}: coverage ${r.overall.toFixed(2)}/4 (offline check, no hire signal)`);
    out.push(`  ${r.dimensions.map((d) => `${d.title} ${d.score.toFixed(1)}${d.cappedAt !== undefined ? ` (capped at ${d.cappedAt})` : ""}`).join(" · ")}`);
    for (const reason of r.reasons) out.push(`  - ${reason}`);
    for (const e of r.evidence) out.push(`    > “${e.quote}” — ${e.dimensionTitle} ${e.score}/4`);
    for (const h of r.hints) out.push(`  * ${h.count} hint${h.count > 1 ? "s" : ""} on ${h.questionId} → ${h.dimensionTitle} capped at ${h.cap}`);
  }
  if (debrief.focus.length > 0) {
    out.push("", "Practise next:");
    debrief.focus.forEach((f, i) => out.push(`  ${i + 1}. ${f.why}`));
  }
  return out.join("\n");
}
