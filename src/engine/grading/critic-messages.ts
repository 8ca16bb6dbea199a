/**
 * Builds the critic's two messages. Trusted material (round, rubric, grading key) goes in the
 * system message; everything the candidate wrote goes only in the user message, between
 * delimiters carrying a random per-call id the candidate cannot predict or close early.
 */
import { randomBytes } from "node:crypto";
import type { GradeRequest } from "./types.js";
import { renderPrompt, type PromptSet } from "./prompts.js";

export interface CriticMessages {
  system: string;
  user: string;
  /** The per-call id inside every delimiter of this request. */
  delimiterId: string;
}

export type RandomHex = () => string;

export const defaultRandomHex: RandomHex = () => randomBytes(12).toString("hex");

const MAX_DELIMITER_ATTEMPTS = 16;

export function answerDelimiters(id: string): { open: string; close: string } {
  return { open: `<<<ANSWER-${id}>>>`, close: `<<<END-ANSWER-${id}>>>` };
}

function delimit(kind: string, id: string, text: string): string {
  return `<<<${kind}-${id}>>>\n${text}\n<<<END-${kind}-${id}>>>`;
}

/** Every piece of request text that is not ours; the delimiter id must not occur in any of it. */
function untrustedTexts(request: GradeRequest): string[] {
  return [
    request.answer,
    request.followUp ?? "",
    request.code?.detail ?? "",
    request.code?.verdict ?? "",
    ...(request.previous ?? []).flatMap((t) => [t.prompt, t.answer]),
  ];
}

/** Draws ids until one occurs in none of the untrusted text (a collision is astronomically rare, but cheap to rule out). */
export function pickDelimiterId(texts: readonly string[], randomHex: RandomHex): string {
  for (let i = 0; i < MAX_DELIMITER_ATTEMPTS; i++) {
    const id = randomHex();
    if (id.length >= 8 && !texts.some((t) => t.includes(id))) return id;
  }
  throw new Error("could not pick an answer delimiter that does not occur in the answer");
}

function renderRubric(request: GradeRequest): string {
  return request.round.rubric
    .map((d) =>
      [
        `### ${d.title} (id \`${d.id}\`, weight ${d.weight})`,
        d.description,
        `- 1 (strong no hire): ${d.levels[1]}`,
        `- 2 (no hire): ${d.levels[2]}`,
        `- 3 (hire): ${d.levels[3]}`,
        `- 4 (strong hire): ${d.levels[4]}`,
      ].join("\n"),
    )
    .join("\n\n");
}

function renderSignals(request: GradeRequest): string {
  const signals = request.round.signals;
  if (signals.length === 0) return "(none beyond the rubric)";
  return signals.map((s) => `- [${s.dimension}] ${s.description}`).join("\n");
}

function renderPreviousTurns(request: GradeRequest, id: string): string {
  const turns = request.previous ?? [];
  if (turns.length === 0) return "(none: this is the first answer to this question)";
  return turns.map((t, i) => `Turn ${i + 1}, asked: ${t.prompt}\n${delimit("EARLIER-ANSWER", id, t.answer)}`).join("\n\n");
}

function renderCodeRun(request: GradeRequest, id: string): string {
  const code = request.code;
  if (!code) return "(no code was run for this answer)";
  const summary = `Language ${code.language}; verdict: ${code.verdict}; ${code.passed} of ${code.total} tests passed.`;
  return code.detail ? `${summary}\nJudge output:\n${delimit("CODE-OUTPUT", id, code.detail)}` : summary;
}

export function buildCriticMessages(prompts: PromptSet, request: GradeRequest, randomHex: RandomHex = defaultRandomHex): CriticMessages {
  const id = pickDelimiterId(untrustedTexts(request), randomHex);
  const { round, question } = request;
  const system = renderPrompt(prompts.criticSystem, {
    round_title: round.title,
    round_probes: round.probes,
    rubric: renderRubric(request),
    dimension_ids: round.rubric.map((d) => d.id).join(", "),
    round_signals: renderSignals(request),
    question: question.prompt,
    difficulty: question.difficulty,
    key_points: question.keyPoints.map((k) => `- [${k.dimension}] ${k.text}`).join("\n"),
    reference_answer: question.referenceAnswer,
    delimiter_id: id,
  });
  const { open, close } = answerDelimiters(id);
  const user = renderPrompt(prompts.criticUser, {
    round_title: round.title,
    question: question.prompt,
    follow_up: request.followUp ? request.followUp : "(none: this answers the main question)",
    previous_turns: renderPreviousTurns(request, id),
    code_run: renderCodeRun(request, id),
    hints_used: String(request.hintsUsed ?? 0),
    answer: `${open}\n${request.answer}\n${close}`,
  });
  return { system, user, delimiterId: id };
}
