/**
 * The LLM call's fault bounds, independent of the SDK's own policy: one deadline for the whole
 * attempt (every try and every Retry-After wait inside it), Retry-After honoured only while it fits
 * that deadline, and a cap on how many bytes of a response are read. The SDK is asked for exactly
 * one try per call (maxRetries: 0) because it obeys any Retry-After, however long.
 */
import { APIConnectionError, APIError, APIUserAbortError } from "openai/core/error";
import { LlmCriticError } from "./llm-errors.js";

export class ResponseTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`the LLM's response exceeded ${limitBytes} bytes`);
    this.name = "ResponseTooLargeError";
  }
}

/** A fetch whose response bodies stop (and the connection is dropped) past `maxBytes`. */
export function boundedFetch(maxBytes: number, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const declared = Number(response.headers.get("content-length") ?? "NaN");
    if (declared > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(maxBytes);
    }
    if (!response.body) return response;
    let seen = 0;
    const limited = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > maxBytes) controller.error(new ResponseTooLargeError(maxBytes));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(limited, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

export interface DeadlinePolicy {
  /** The whole attempt, retries and waits included. */
  deadlineMs: number;
  /** One try. */
  timeoutMs: number;
  /** Tries after the first. */
  maxRetries: number;
}

export interface DeadlineClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: DeadlineClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const RETRYABLE_STATUS = new Set([408, 409, 429]);
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 8_000;

function isRetryable(error: unknown): boolean {
  if (error instanceof ResponseTooLargeError) return false;
  if (error instanceof APIConnectionError) return true; // includes the SDK's per-try timeout
  return error instanceof APIError && typeof error.status === "number" && (RETRYABLE_STATUS.has(error.status) || error.status >= 500);
}

/** The server's requested wait in ms (retry-after-ms, then Retry-After seconds or date), if any. */
export function retryAfterMs(error: unknown, now: number): number | undefined {
  const headers = error instanceof APIError ? error.headers : undefined;
  if (!headers) return undefined;
  const ms = Number(headers.get("retry-after-ms"));
  if (Number.isFinite(ms) && ms >= 0 && headers.get("retry-after-ms") !== null) return ms;
  const value = headers.get("retry-after");
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Something inside the deadline went wrong as the cause says; thrown as is unless the deadline ran out. */
function outOfTime(deadlineMs: number, cause: unknown): LlmCriticError {
  return new LlmCriticError("deadline", `the LLM did not produce a critique within ${Math.round(deadlineMs / 1000)} s`, { cause });
}

/**
 * Runs `attempt` until it succeeds, a failure is not worth retrying, the tries are used up, or the
 * deadline would pass. Each try gets an abort signal that fires at min(timeout, time left).
 */
export async function withDeadline<T>(
  attempt: (signal: AbortSignal, timeoutMs: number) => Promise<T>,
  policy: DeadlinePolicy,
  clock: DeadlineClock = realClock,
): Promise<T> {
  const deadline = clock.now() + policy.deadlineMs;
  let lastError: unknown;
  for (let tryIndex = 0; tryIndex <= policy.maxRetries; tryIndex++) {
    const left = deadline - clock.now();
    if (left <= 0) throw outOfTime(policy.deadlineMs, lastError);
    const budget = Math.min(policy.timeoutMs, left);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), budget);
    try {
      return await attempt(controller.signal, budget);
    } catch (error) {
      lastError = error;
      const aborted = error instanceof APIUserAbortError || controller.signal.aborted;
      if (aborted && deadline - clock.now() <= 0) throw outOfTime(policy.deadlineMs, error);
      if (!aborted && !isRetryable(error)) throw error;
      if (tryIndex === policy.maxRetries) throw error;
      const wait = retryAfterMs(error, clock.now()) ?? Math.min(BACKOFF_BASE_MS * 2 ** tryIndex, BACKOFF_MAX_MS);
      // A wait that would end past the deadline is not worth starting: fall back now.
      if (clock.now() + wait >= deadline) throw error;
      await clock.sleep(wait);
    } finally {
      clearTimeout(timer);
    }
  }
  throw lastError;
}
