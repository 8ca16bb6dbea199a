/**
 * Why an LLM critique could not be used, as a typed error: the grader branches on it to fall back,
 * and its message is shown to the candidate, so it is short, human and free of secrets.
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  ContentFilterFinishReasonError,
  LengthFinishReasonError,
  PermissionDeniedError,
  RateLimitError,
} from "openai/core/error";
import { ZodError } from "zod";

export type LlmFailureKind =
  | "timeout"
  | "deadline"
  | "too-large"
  | "rate-limited"
  | "server-error"
  | "auth"
  | "unreachable"
  | "http-error"
  | "malformed"
  | "refusal"
  | "truncated"
  | "invalid-output"
  | "unexpected";

export class LlmCriticError extends Error {
  constructor(
    readonly kind: LlmFailureKind,
    message: string,
    options?: { cause?: unknown; detail?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "LlmCriticError";
    this.detail = options?.detail;
  }

  /** Extra diagnosis for the operator's log (never shown to the candidate). */
  readonly detail: string | undefined;
}

function zodPath(error: ZodError): string {
  const first = error.issues[0];
  const path = (first?.path ?? []).map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
  return path || "(root)";
}

/** Maps whatever the SDK threw (after its own retries) to a failure the grader can explain. */
export function classifyLlmFailure(error: unknown, context: { timeoutMs: number; attempts: number }): LlmCriticError {
  if (error instanceof LlmCriticError) return error;
  // Checked through the cause chain: the SDK may wrap a body that stopped mid-read.
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.name === "ResponseTooLargeError") return new LlmCriticError("too-large", "the LLM's response was larger than allowed and was not read", { cause: error });
  }
  const tries = `${context.attempts} attempt${context.attempts === 1 ? "" : "s"}`;
  // The service's own error text helps the operator (e.g. "model does not support json_schema"); it goes to the log only.
  const serviceText = error instanceof APIError && !(error instanceof APIConnectionError) ? error.message.slice(0, 300) : undefined;
  const wrap = (kind: LlmFailureKind, message: string) =>
    new LlmCriticError(kind, message, { cause: error, ...(serviceText ? { detail: serviceText } : {}) });
  if (error instanceof APIUserAbortError) return wrap("timeout", `the LLM did not answer within ${context.timeoutMs} ms (${tries})`);
  if (error instanceof APIConnectionTimeoutError) return wrap("timeout", `the LLM did not answer within ${context.timeoutMs} ms (${tries})`);
  if (error instanceof APIConnectionError) return wrap("unreachable", `could not reach the LLM service (${tries})`);
  if (error instanceof RateLimitError) return wrap("rate-limited", `the LLM was rate-limited (HTTP 429) on all ${tries}`);
  if (error instanceof AuthenticationError || error instanceof PermissionDeniedError) {
    return wrap("auth", `the LLM service rejected the credentials (HTTP ${error.status})`);
  }
  if (error instanceof APIError && typeof error.status === "number" && error.status >= 500) {
    return wrap("server-error", `the LLM service failed (HTTP ${error.status}) on all ${tries}`);
  }
  if (error instanceof APIError) return wrap("http-error", `the LLM request failed (HTTP ${error.status ?? "unknown"})`);
  if (error instanceof LengthFinishReasonError) return wrap("truncated", "the LLM's critique was cut off before it was complete");
  if (error instanceof ContentFilterFinishReasonError) return wrap("refusal", "the LLM's content filter stopped the critique");
  if (error instanceof SyntaxError) return wrap("malformed", "the LLM returned malformed JSON");
  if (error instanceof ZodError) {
    return new LlmCriticError("invalid-output", `the LLM returned an invalid critique (bad ${zodPath(error)})`, {
      cause: error,
      detail: error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    });
  }
  return wrap("unexpected", "the LLM critic failed unexpectedly");
}
