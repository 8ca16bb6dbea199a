/**
 * Builds the critic's two messages. The system message holds only our material (round, rubric,
 * grading key) and is identical on every call for the same question, so the same answer meets the
 * same instructions (and providers can cache the prefix). The user message starts with the per-call
 * delimiter id; every piece of text we did not write — the answer, earlier answers, the probes
 * (which the model itself may have written), program output — sits only between delimiters
 * carrying that id, which the candidate cannot predict or close early.
 */
import { randomBytes } from "node:crypto";
import { applicableDimensions } from "../content/dimensions.js";
import { promptAsAsked } from "../content/question-text.js";
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

export type BlockKind = "ANSWER" | "EARLIER-ANSWER" | "PROBE" | "CODE-OUTPUT";

export function delimiters(kind: BlockKind, id: string): { open: string; close: string } {
  return { open: `<<<${kind}-${id}>>>`, close: `<<<END-${kind}-${id}>>>` };
}

export function answerDelimiters(id: string): { open: string; close: string } {
  return delimiters("ANSWER", id);
}

function delimit(kind: BlockKind, id: string, text: string): string {
  const { open, close } = delimiters(kind, id);
  return `${open}\n${text}\n${close}`;
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
  return applicableDimensions(request.round, request.question)
    .map((d) =>
      [
        `### ${d.title} (key \`${d.id}\`)`,
        d.description,
        `- 1: ${d.levels[1]}`,
        `- 2: ${d.levels[2]}`,
        `- 3: ${d.levels[3]}`,
        `- 4: ${d.levels[4]}`,
      ].join("\n"),
    )
    .join("\n\n");
}

function renderSignals(request: GradeRequest): string {
  const ids = new Set(applicableDimensions(request.round, request.question).map((d) => d.id));
  const signals = request.round.signals.filter((s) => ids.has(s.dimension));
  if (signals.length === 0) return "(none beyond the rubric)";
  return signals.map((s) => `- [${s.dimension}] ${s.description}`).join("\n");
}

function renderMisconceptions(request: GradeRequest): string {
  const list = request.question.misconceptions;
  if (list.length === 0) return "(none listed; use your own knowledge)";
  return list.map((m) => `- [${m.dimension}] Wrong: ${m.claim} — Correct: ${m.correction}`).join("\n");
}

function renderPreviousTurns(request: GradeRequest, id: string): string {
  const turns = request.previous ?? [];
  if (turns.length === 0) return "(none: this is the first answer to this question)";
  return turns
    .map((t, i) => [`Turn ${i + 1}. Asked:`, delimit("PROBE", id, t.prompt), `Candidate's answer:`, delimit("EARLIER-ANSWER", id, t.answer)].join("\n"))
    .join("\n\n");
}

function renderCodeRun(request: GradeRequest, id: string): string {
  const code = request.code;
  if (!code) return "(no code was run for this answer)";
  const summary = `Language ${code.language}; ${code.passed} of ${code.total} tests passed. Verdict:\n${delimit("CODE-OUTPUT", id, code.verdict)}`;
  return code.detail ? `${summary}\nJudge output:\n${delimit("CODE-OUTPUT", id, code.detail)}` : summary;
}

export function buildCriticMessages(prompts: PromptSet, request: GradeRequest, randomHex: RandomHex = defaultRandomHex): CriticMessages {
  const id = pickDelimiterId(untrustedTexts(request), randomHex);
  const { round, question } = request;
  const system = renderPrompt(prompts.criticSystem, {
    round_title: round.title,
    round_probes: round.probes,
    rubric: renderRubric(request),
    dimension_ids: applicableDimensions(round, question)
      .map((d) => d.id)
      .join(", "),
    round_signals: renderSignals(request),
    // With its lead-in: the critic grades a chained seed question the way the candidate read it on its own.
    question: promptAsAsked(question, "standalone"),
    difficulty: question.difficulty,
    key_points: question.keyPoints.map((k) => `- [${k.dimension}] ${k.text}`).join("\n"),
    misconceptions: renderMisconceptions(request),
    reference_answer: question.referenceAnswer,
  });
  const user = renderPrompt(prompts.criticUser, {
    delimiter_id: id,
    follow_up: request.followUp ? delimit("PROBE", id, request.followUp) : "(none: this answers the main question)",
    previous_turns: renderPreviousTurns(request, id),
    code_run: renderCodeRun(request, id),
    hints_used: String(request.hintsUsed ?? 0),
    answer: delimit("ANSWER", id, request.answer),
  });
  return { system, user, delimiterId: id };
}
