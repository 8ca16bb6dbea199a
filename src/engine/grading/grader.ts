/**
 * The grader the app uses: the LLM critic when configured, and the offline rubric check when it is
 * not, or when the LLM fails after its retries (the critique then says why, in fallbackReason).
 */
import { LLM_DEFAULTS, LlmCritic } from "./llm.js";
import { classifyLlmFailure } from "./llm-errors.js";
import { OfflineGrader } from "./offline.js";
import { loadPrompts } from "./prompts.js";
import type { RandomHex } from "./critic-messages.js";
import type { Critique, GradeRequest, Grader } from "./types.js";
import { noTelemetry, type Telemetry } from "../telemetry.js";

export interface LlmGraderOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
  /** Defaults in LLM_DEFAULTS. */
  deadlineMs?: number;
  maxResponseBytes?: number;
  temperature?: number | "omit";
  seed?: number;
  samples?: number;
}

export interface GraderLogger {
  warn(msg: string): void;
}

export interface CreateGraderOptions {
  llm?: LlmGraderOptions;
  /** prompts/ directory; its templates are validated here, at start-up (throws PromptError). */
  promptsDir: string;
  logger?: GraderLogger;
  /** Delimiter id source for the LLM critic (tests only). */
  randomHex?: RandomHex;
  /** Counts fallbacks to the offline check (default: nothing). */
  telemetry?: Telemetry;
}

/** Removes every occurrence of a secret (and of any 8+ char tail of it) from text bound for logs or users. */
export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  let out = text.split(secret).join("[redacted]");
  if (secret.length > 8) out = out.split(secret.slice(-8)).join("[redacted]");
  return out;
}

class FallbackGrader implements Grader {
  readonly kind = "llm" as const;

  constructor(
    private readonly critic: LlmCritic,
    private readonly offline: OfflineGrader,
    private readonly options: LlmGraderOptions,
    private readonly logger: GraderLogger,
    private readonly telemetry: Telemetry,
  ) {}

  async grade(request: GradeRequest): Promise<Critique> {
    try {
      return await this.critic.grade(request);
    } catch (error) {
      const failure = classifyLlmFailure(error, { timeoutMs: this.options.timeoutMs, attempts: this.options.maxRetries + 1 });
      const reason = redactSecret(failure.message, this.options.apiKey);
      const detail = failure.detail ?? (failure.kind === "unexpected" && failure.cause instanceof Error ? failure.cause.message : undefined);
      const cause = detail ? ` [${detail}]` : "";
      this.logger.warn(
        redactSecret(
          `LLM critic failed for question ${request.question.id} (${failure.kind}): ${reason}${cause}; answering with the offline rubric check`,
          this.options.apiKey,
        ),
      );
      this.telemetry.graderFallback({ reason: failure.kind });
      const critique = await this.offline.grade(request);
      return { ...critique, fallbackReason: reason };
    }
  }
}

const consoleLogger: GraderLogger = { warn: (msg) => console.warn(msg) };

export function createGrader(options: CreateGraderOptions): Grader {
  const prompts = loadPrompts(options.promptsDir);
  const offline = new OfflineGrader();
  if (!options.llm) return offline;
  const llm = options.llm;
  const critic = new LlmCritic({
    apiKey: llm.apiKey,
    baseURL: llm.baseURL,
    model: llm.model,
    timeoutMs: llm.timeoutMs,
    maxRetries: llm.maxRetries,
    deadlineMs: llm.deadlineMs ?? LLM_DEFAULTS.deadlineMs,
    maxResponseBytes: llm.maxResponseBytes ?? LLM_DEFAULTS.maxResponseBytes,
    temperature: llm.temperature,
    seed: llm.seed ?? LLM_DEFAULTS.seed,
    samples: llm.samples ?? LLM_DEFAULTS.samples,
    prompts,
    ...(options.randomHex ? { randomHex: options.randomHex } : {}),
  });

  return new FallbackGrader(critic, offline, options.llm, options.logger ?? consoleLogger, options.telemetry ?? noTelemetry);
}
