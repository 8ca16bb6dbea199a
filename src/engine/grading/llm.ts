/**
 * LLM critic: asks an OpenAI-compatible Chat Completions endpoint for a structured critique, then
 * trusts none of it blindly: quotes must really be in the candidate's text, a dimension without a
 * verified quote is capped, a verified wrong claim caps its dimension, an answer to another question
 * caps every dimension, and the overall score and hire signal are computed here.
 */
import OpenAI from "openai";
import type { Question, Round } from "../content/schema.js";
import { applicableDimensions } from "../content/dimensions.js";
import { buildCriticMessages, defaultRandomHex, type RandomHex } from "./critic-messages.js";
import { responseFormatFor, type CritiqueOutput } from "./critic-output.js";
import { checkQuotes } from "./evidence.js";
import { screenSentences } from "./injection.js";
import { classifyLlmFailure, LlmCriticError } from "./llm-errors.js";
import { boundedFetch, withDeadline } from "./llm-transport.js";
import type { PromptSet } from "./prompts.js";
import { applyCaps, finalScores } from "./score.js";
import { splitSentences } from "./text.js";
import type { Correction, Critique, DimensionScore, FollowUpFeedback, GradeRequest, Grader } from "./types.js";

export interface LlmCriticOptions {
  apiKey: string;
  /** OpenAI-compatible base URL ending in /v1; when absent the SDK reads OPENAI_BASE_URL. */
  baseURL?: string;
  model: string;
  /** One try. */
  timeoutMs: number;
  /** Tries after the first, on timeouts, connection errors, 408/409/429 and 5xx. */
  maxRetries: number;
  /** The whole grading attempt, retries and Retry-After waits included. */
  deadlineMs: number;
  /** Response bodies larger than this are not read. */
  maxResponseBytes: number;
  /** Sampling temperature; "omit" leaves it out; undefined → 0, or omitted for reasoning models. */
  temperature?: number | "omit";
  seed: number;
  /** Critiques per answer; the per-dimension median is kept. */
  samples: number;
  prompts: PromptSet;
  /** Source of the per-call delimiter id (tests make it predictable). */
  randomHex?: RandomHex;
}

/** Defaults for callers (CLI, tests) that only name the server and model. */
export const LLM_DEFAULTS = { deadlineMs: 90_000, maxResponseBytes: 1024 * 1024, seed: 20_240_601, samples: 1 } as const;

/** A score a dimension without a verified quote, with a verified wrong claim, or in an off-topic answer cannot exceed. */
export const UNSUPPORTED_CAP = 2;

/** Reasoning models reject `temperature`; they are recognised by name so the default request works. */
const REJECTS_TEMPERATURE = /^(?:o\d|gpt-5)/i;

const MAX_TEXT = 800;
const MAX_LIST = 8;

function tidy(text: string, max = MAX_TEXT): string {
  const t = text.trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}

function tidyList(items: readonly string[]): string[] {
  return items.map((s) => tidy(s, 300)).filter((s) => s.length > 0).slice(0, MAX_LIST);
}

/** Everything the candidate wrote on this question: quotes from any of it are real evidence. */
function candidateText(request: GradeRequest): string {
  return [...(request.previous ?? []).map((t) => t.answer), request.answer].join("\n\n");
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * One critique from several samples: each dimension takes the median score, with the evidence and
 * justification of a sample that gave that score; relevance is a majority vote; the rest comes from
 * the sample closest to the median overall.
 */
export function combineSamples(outputs: readonly CritiqueOutput[], dimensionIds: readonly string[]): CritiqueOutput {
  if (outputs.length === 1) return outputs[0]!;
  const dimensions: CritiqueOutput["dimensions"] = {};
  for (const id of dimensionIds) {
    const m = median(outputs.map((o) => o.dimensions[id]!.score));
    dimensions[id] = outputs.map((o) => o.dimensions[id]!).find((d) => d.score === m)!;
  }
  const total = (o: CritiqueOutput) => dimensionIds.reduce((sum, id) => sum + o.dimensions[id]!.score, 0);
  const target = median(outputs.map(total));
  const base = outputs.find((o) => total(o) === target)!;
  const offTopicVotes = outputs.filter((o) => !o.relevance.addresses_question).length;
  const relevance = offTopicVotes * 2 > outputs.length ? outputs.find((o) => !o.relevance.addresses_question)!.relevance : base.relevance;
  return { ...base, dimensions, relevance };
}

interface Verified {
  dimensions: DimensionScore[];
  corrections: Correction[];
  droppedQuotes: number;
}

/** Keeps what the candidate's text supports and caps what it does not. */
function verify(round: Round, question: Question, output: CritiqueOutput, text: string): Verified {
  let droppedQuotes = 0;
  const raw: DimensionScore[] = applicableDimensions(round, question).map((dim) => {
    const d = output.dimensions[dim.id];
    if (!d) throw new LlmCriticError("invalid-output", `the LLM returned an invalid critique (missing dimension ${dim.id})`);
    const { kept, dropped } = checkQuotes(text, [d.evidence_quote]);
    droppedQuotes += dropped;
    return { id: dim.id, title: dim.title, score: d.score, justification: tidy(d.justification), evidence: kept };
  });
  const corrections: Correction[] = [];
  for (const c of output.corrections) {
    // A wrong claim the candidate did not make is the model's invention: neither shown nor counted.
    const { kept, dropped } = checkQuotes(text, [c.quote]);
    droppedQuotes += dropped;
    if (kept.length === 0 || !raw.some((d) => d.id === c.dimension)) continue;
    corrections.push({ claim: tidy(c.claim, 300), correction: tidy(c.correction, 500), dimension: c.dimension, quote: kept[0]! });
  }
  const caps: Record<string, number> = {};
  for (const d of raw) {
    if (d.evidence.length === 0 || !output.relevance.addresses_question) caps[d.id] = UNSUPPORTED_CAP;
  }
  for (const c of corrections) caps[c.dimension] = UNSUPPORTED_CAP;
  return { dimensions: applyCaps(raw, caps), corrections, droppedQuotes };
}

function followUpFeedback(request: GradeRequest, output: CritiqueOutput, dimensions: readonly DimensionScore[]): FollowUpFeedback | undefined {
  if (!request.followUp) return undefined;
  const before = request.previous?.at(-1)?.scores ?? {};
  return {
    probe: request.followUp,
    added: tidyList(output.follow_up_feedback?.added ?? []),
    stillMissing: tidyList(output.follow_up_feedback?.still_missing ?? []),
    moved: dimensions.filter((d) => before[d.id] !== undefined).map((d) => ({ id: d.id, title: d.title, from: before[d.id]!, to: d.score })),
  };
}

export class LlmCritic implements Grader {
  readonly kind = "llm" as const;
  private readonly client: OpenAI;
  private readonly randomHex: RandomHex;
  /** Set once the server has refused `temperature` for this model; later requests leave it out. */
  private temperatureRejected = false;

  constructor(private readonly options: LlmCriticOptions) {
    this.client = new OpenAI({
      apiKey: options.apiKey,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      timeout: options.timeoutMs,
      // Retries are ours (withDeadline): the SDK would obey any Retry-After, however long.
      maxRetries: 0,
      fetch: boundedFetch(options.maxResponseBytes),
      // Our grader logs failures itself (redacted); the SDK's own logging stays quiet.
      logLevel: "off",
    });
    this.randomHex = options.randomHex ?? defaultRandomHex;
  }

  get model(): string {
    return this.options.model;
  }

  private temperature(): number | undefined {
    const configured = this.options.temperature;
    if (configured === "omit" || this.temperatureRejected) return undefined;
    if (configured === undefined) return REJECTS_TEMPERATURE.test(this.options.model) ? undefined : 0;
    return configured;
  }

  /** One structured critique; the request is the same for the same answer, apart from the delimiter id. */
  private async sample(request: GradeRequest, system: string, user: string, seed: number): Promise<CritiqueOutput> {
    const { round, question } = request;
    const call = (signal: AbortSignal, timeout: number) => {
      const temperature = this.temperature();
      return this.client.chat.completions.parse(
        {
          model: this.options.model,
          messages: [
            { role: "system", content: system },
            { role: "user", content: user },
          ],
          response_format: responseFormatFor(round, question),
          ...(temperature === undefined ? {} : { temperature }),
          seed,
        },
        { signal, timeout, maxRetries: 0 },
      );
    };
    const policy = { deadlineMs: this.options.deadlineMs, timeoutMs: this.options.timeoutMs, maxRetries: this.options.maxRetries };
    const completion = await withDeadline(async (signal, timeout) => {
      try {
        return await call(signal, timeout);
      } catch (error) {
        if (!this.temperatureRejected && this.temperature() !== undefined && rejectsTemperature(error)) {
          this.temperatureRejected = true;
          return call(signal, timeout);
        }
        throw error;
      }
    }, policy);
    const message = completion.choices[0]?.message;
    if (!message) throw new LlmCriticError("invalid-output", "the LLM returned no choices");
    if (message.refusal) throw new LlmCriticError("refusal", "the LLM refused to grade this answer");
    if (!message.parsed) throw new LlmCriticError("malformed", "the LLM returned an empty critique");
    return message.parsed;
  }

  /** Throws LlmCriticError when no usable critique came back within the deadline. */
  async grade(request: GradeRequest): Promise<Critique> {
    const { round, question } = request;
    const messages = buildCriticMessages(this.options.prompts, request, this.randomHex);
    const settled = await Promise.allSettled(
      Array.from({ length: this.options.samples }, (_, i) => this.sample(request, messages.system, messages.user, this.options.seed + i)),
    );
    // Samples that came back are enough; only when none did is the critique lost.
    const outputs = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    if (outputs.length === 0) {
      const first = settled.find((s): s is PromiseRejectedResult => s.status === "rejected")!;
      throw classifyLlmFailure(first.reason, { timeoutMs: this.options.timeoutMs, attempts: this.options.maxRetries + 1 });
    }
    const ids = applicableDimensions(round, question).map((d) => d.id);
    const output = combineSamples(outputs, ids);
    const verified = verify(round, question, output, candidateText(request));
    const { dimensions, overall, signal } = finalScores(round, question, verified.dimensions, request.hintsUsed ?? 0, request.code);
    // The model's flag, backed by the same screen the offline grader uses.
    const screened = screenSentences(splitSentences(request.answer)).removed.length > 0;
    const followUp = tidy(output.follow_up, 500);
    const feedback = followUpFeedback(request, output, dimensions);

    return {
      questionId: question.id,
      roundId: round.id,
      grader: "llm",
      model: this.options.model,
      overall,
      signal,
      dimensions,
      strengths: tidyList(output.strengths),
      gaps: tidyList(output.missed_key_points),
      followUp: followUp.length > 0 ? followUp : question.followUps[0]!,
      corrections: verified.corrections,
      ...(output.relevance.addresses_question ? {} : { relevance: { addressesQuestion: false } }),
      ...(feedback ? { followUpFeedback: feedback } : {}),
      injectionSuspected: output.injection_suspected || screened,
      droppedQuotes: verified.droppedQuotes,
    };
  }
}

/** A 400 that names `temperature` as unsupported (reasoning models, some gateways). */
function rejectsTemperature(error: unknown): boolean {
  if (!(error instanceof OpenAI.APIError) || error.status !== 400) return false;
  const text = `${error.message} ${JSON.stringify(error.error ?? {})}`;
  return /temperature/i.test(text) && /unsupported|not support|does not support|only the default/i.test(text);
}
