/**
 * The grader the app uses: the LLM critic when configured, and the offline rubric check when it is
 * not, or when the LLM fails after its retries (the critique then says why, in fallbackReason).
 */
import { LlmCritic } from "./llm.js";
import { classifyLlmFailure } from "./llm-errors.js";
import { OfflineGrader } from "./offline.js";
import { loadPrompts } from "./prompts.js";
import type { RandomHex } from "./critic-messages.js";
import type { Critique, GradeRequest, Grader } from "./types.js";

export interface LlmGraderOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
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
}

export const DEFAULT_OPENAI_MODEL = "gpt-4.1-mini";
export const DEFAULT_OPENAI_TIMEOUT_MS = 30_000;
export const DEFAULT_OPENAI_MAX_RETRIES = 2;

/** Removes every occurrence of a secret (and of any 8+ char tail of it) from text bound for logs or users. */
export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  let out = text.split(secret).join("[redacted]");
  if (secret.length > 8) out = out.split(secret.slice(-8)).join("[redacted]");
  return out;
}

/** Reads OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL, OPENAI_TIMEOUT_MS, OPENAI_MAX_RETRIES; undefined without a key. */
export function llmOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): LlmGraderOptions | undefined {
  const apiKey = env.OPENAI_API_KEY?.trim();
  if (!apiKey) return undefined;
  const int = (value: string | undefined, fallback: number, min: number) => {
    const n = Number(value);
    return value !== undefined && value.trim() !== "" && Number.isInteger(n) && n >= min ? n : fallback;
  };
  const baseURL = env.OPENAI_BASE_URL?.trim();
  return {
    apiKey,
    ...(baseURL ? { baseURL } : {}),
    model: env.OPENAI_MODEL?.trim() || DEFAULT_OPENAI_MODEL,
    timeoutMs: int(env.OPENAI_TIMEOUT_MS, DEFAULT_OPENAI_TIMEOUT_MS, 1),
    maxRetries: int(env.OPENAI_MAX_RETRIES, DEFAULT_OPENAI_MAX_RETRIES, 0),
  };
}

class FallbackGrader implements Grader {
  readonly kind = "llm" as const;

  constructor(
    private readonly critic: LlmCritic,
    private readonly offline: OfflineGrader,
    private readonly options: LlmGraderOptions,
    private readonly logger: GraderLogger,
  ) {}

  async grade(request: GradeRequest): Promise<Critique> {
    try {
      return await this.critic.grade(request);
    } catch (error) {
      const failure = classifyLlmFailure(error, { timeoutMs: this.options.timeoutMs, attempts: this.options.maxRetries + 1 });
      const reason = redactSecret(failure.message, this.options.apiKey);
      const cause = failure.cause instanceof Error && failure.kind === "unexpected" ? `: ${failure.cause.message}` : "";
      this.logger.warn(
        redactSecret(
          `LLM critic failed for question ${request.question.id} (${failure.kind}): ${reason}${cause}; answering with the offline rubric check`,
          this.options.apiKey,
        ),
      );
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
  const critic = new LlmCritic({ ...options.llm, prompts, ...(options.randomHex ? { randomHex: options.randomHex } : {}) });
  return new FallbackGrader(critic, offline, options.llm, options.logger ?? consoleLogger);
}
