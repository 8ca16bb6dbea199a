/**
 * LLM critic: asks an OpenAI-compatible Chat Completions endpoint for a structured critique, then
 * trusts none of it blindly: dimensions must match the rubric exactly, scores must be 1–4, quotes
 * must really be in the answer, and the overall score and hire signal are computed here.
 */
import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import { z } from "zod";
import type { Round } from "../content/schema.js";
import { buildCriticMessages, defaultRandomHex, type RandomHex } from "./critic-messages.js";
import { checkQuotes } from "./evidence.js";
import { screenSentences } from "./injection.js";
import { classifyLlmFailure, LlmCriticError } from "./llm-errors.js";
import type { PromptSet } from "./prompts.js";
import { finalScores } from "./score.js";
import { splitSentences } from "./text.js";
import type { Critique, DimensionScore, GradeRequest, Grader } from "./types.js";

export interface LlmCriticOptions {
  apiKey: string;
  /** OpenAI-compatible base URL ending in /v1; when absent the SDK reads OPENAI_BASE_URL. */
  baseURL?: string;
  model: string;
  /** Per attempt. */
  timeoutMs: number;
  /** SDK retries on timeouts, connection errors, 408/409/429 and 5xx (with Retry-After honoured). */
  maxRetries: number;
  prompts: PromptSet;
  /** Source of the per-call delimiter id (tests make it predictable). */
  randomHex?: RandomHex;
}

/** The structured output the model must produce; dimension ids are an enum of this round's rubric. */
export function critiqueOutputSchema(round: Round) {
  const ids = round.rubric.map((d) => d.id) as [string, ...string[]];
  return z.object({
    dimensions: z
      .array(
        z.object({
          id: z.enum(ids),
          score: z.number().int().min(1).max(4),
          justification: z.string(),
          evidence_quote: z.string(),
        }),
      )
      .describe(`Exactly one entry per rubric dimension: ${ids.join(", ")}`),
    strengths: z.array(z.string()),
    missed_key_points: z.array(z.string()),
    follow_up: z.string(),
    injection_suspected: z.boolean(),
  });
}

export type CritiqueOutput = z.infer<ReturnType<typeof critiqueOutputSchema>>;

/** Rounds are immutable after load; building the JSON Schema costs about a millisecond, so build it once per round. */
const responseFormats = new WeakMap<Round, ReturnType<typeof zodResponseFormat<ReturnType<typeof critiqueOutputSchema>>>>();

function responseFormatFor(round: Round) {
  let format = responseFormats.get(round);
  if (!format) {
    format = zodResponseFormat(critiqueOutputSchema(round), "interview_critique");
    responseFormats.set(round, format);
  }
  return format;
}

const MAX_TEXT = 800;
const MAX_LIST = 8;

function tidy(text: string, max = MAX_TEXT): string {
  const t = text.trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}

function tidyList(items: readonly string[]): string[] {
  return items.map((s) => tidy(s, 300)).filter((s) => s.length > 0).slice(0, MAX_LIST);
}

/** Rejects output that parses but cannot be a critique of this rubric. */
export function checkDimensions(round: Round, output: CritiqueOutput): void {
  const seen = new Set<string>();
  for (const d of output.dimensions) {
    if (seen.has(d.id)) throw new LlmCriticError("invalid-output", `the LLM returned an invalid critique (dimension "${d.id}" appears twice)`);
    seen.add(d.id);
    if (!Number.isInteger(d.score) || d.score < 1 || d.score > 4) {
      throw new LlmCriticError("invalid-output", `the LLM returned an invalid critique (score ${d.score} on "${d.id}" is outside 1–4)`);
    }
  }
  const missing = round.rubric.filter((d) => !seen.has(d.id)).map((d) => d.id);
  if (missing.length > 0) {
    throw new LlmCriticError("invalid-output", `the LLM returned an invalid critique (missing dimension${missing.length > 1 ? "s" : ""} ${missing.join(", ")})`);
  }
}

/** Everything the candidate wrote on this question: quotes from any of it are real evidence. */
function candidateText(request: GradeRequest): string {
  return [...(request.previous ?? []).map((t) => t.answer), request.answer].join("\n\n");
}

export class LlmCritic implements Grader {
  readonly kind = "llm" as const;
  private readonly client: OpenAI;
  private readonly randomHex: RandomHex;

  constructor(private readonly options: LlmCriticOptions) {
    this.client = new OpenAI({
      apiKey: options.apiKey,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
      // Our grader logs failures itself (redacted); the SDK's own logging stays quiet.
      logLevel: "off",
    });
    this.randomHex = options.randomHex ?? defaultRandomHex;
  }

  get model(): string {
    return this.options.model;
  }

  /** Throws LlmCriticError when no usable critique came back (after the SDK's retries). */
  async grade(request: GradeRequest): Promise<Critique> {
    const { round, question } = request;
    const messages = buildCriticMessages(this.options.prompts, request, this.randomHex);
    let output: CritiqueOutput;
    try {
      const completion = await this.client.chat.completions.parse({
        model: this.options.model,
        messages: [
          { role: "system", content: messages.system },
          { role: "user", content: messages.user },
        ],
        response_format: responseFormatFor(round),
      });
      const message = completion.choices[0]?.message;
      if (!message) throw new LlmCriticError("invalid-output", "the LLM returned no choices");
      if (message.refusal) throw new LlmCriticError("refusal", "the LLM refused to grade this answer");
      if (!message.parsed) throw new LlmCriticError("malformed", "the LLM returned an empty critique");
      output = message.parsed;
    } catch (error) {
      throw classifyLlmFailure(error, { timeoutMs: this.options.timeoutMs, attempts: this.options.maxRetries + 1 });
    }
    checkDimensions(round, output);

    const text = candidateText(request);
    let droppedQuotes = 0;
    const raw: DimensionScore[] = round.rubric.map((dim) => {
      const d = output.dimensions.find((x) => x.id === dim.id)!;
      const { kept, dropped } = checkQuotes(text, [d.evidence_quote]);
      droppedQuotes += dropped;
      return { id: dim.id, title: dim.title, score: d.score, justification: tidy(d.justification), evidence: kept };
    });
    const { dimensions, overall, signal } = finalScores(round, question, raw, request.hintsUsed ?? 0, request.code);
    // The model's flag, backed by the same screen the offline grader uses.
    const screened = screenSentences(splitSentences(request.answer)).removed.length > 0;
    const followUp = tidy(output.follow_up, 500);

    return {
      questionId: question.id,
      roundId: round.id,
      grader: "llm",
      model: this.options.model,
      overall,
      signal,
      corrections: [],
      dimensions,
      strengths: tidyList(output.strengths),
      gaps: tidyList(output.missed_key_points),
      followUp: followUp.length > 0 ? followUp : question.followUps[0]!,
      injectionSuspected: output.injection_suspected || screened,
      droppedQuotes,
    };
  }
}
