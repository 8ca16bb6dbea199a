/**
 * Structured logs for the server process: one JSON line per event (pino) with `level`, `time`, the
 * Slack `team` and `user` of the request or reply being handled, and error stacks under `err`. The same
 * logger is handed to Bolt (and through it to its Web API client), so Bolt's own lines are JSON too.
 * The practice console and the CLI keep their human-readable output: they never build this logger.
 *
 * Secrets never reach a log line, twice over: pino's `redact` blanks fields named like secrets
 * (token, authorization, secret, password, API keys) in logged objects, and every finished line is
 * scrubbed of the configured secrets' values and of anything shaped like a Slack token, an OpenAI key,
 * a bearer credential or a password in a URL — in messages, error stacks and request bodies Bolt dumps
 * at debug level alike.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { format } from "node:util";
import { pino, stdTimeFunctions, type DestinationStream, type Logger as Pino } from "pino";
import type { Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { LogFields, Logger } from "../app/engine.js";

export type LogLevelName = "debug" | "info" | "warn" | "error";

export const REDACTED = "[redacted]";

/** Who a log line is about: set per Slack request (a Bolt middleware) and per reply being graded. */
export interface LogContext {
  team?: string;
  enterprise?: string;
  user?: string;
}

const logContext = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `context` added to every log line written while it (and what it awaits) runs. */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  const defined = Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined && v !== ""));
  return logContext.run(defined, fn);
}

/** Field names whose values are never logged, at any of the first three levels of a logged object. */
const SECRET_FIELDS = [
  "token",
  "botToken",
  "bot_token",
  "appToken",
  "accessToken",
  "access_token",
  "refreshToken",
  "refresh_token",
  "signingSecret",
  "signing_secret",
  "clientSecret",
  "client_secret",
  "stateSecret",
  "secret",
  "apiKey",
  "api_key",
  "password",
  "authorization",
  "Authorization",
  "cookie",
  "encryptionKey",
];
export const REDACT_PATHS = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);

/** Shapes of credentials, redacted wherever they appear in a line (also other workspaces' tokens, unknown to config). */
const SECRET_SHAPES: [RegExp, string][] = [
  // Slack bot/user/refresh/config tokens and app-level tokens.
  [/\bxox[a-z]-[A-Za-z0-9-]{6,}/g, REDACTED],
  [/\bxapp-[A-Za-z0-9-]{6,}/g, REDACTED],
  // OpenAI-style secret keys (sk-…, sk-proj-…).
  [/\bsk-[A-Za-z0-9_-]{12,}/g, REDACTED],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${REDACTED}`],
  // user:password@ in URLs (a DATABASE_URL in an error message).
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/"'\\]*:)[^\s@/"'\\]+@/gi, `$1${REDACTED}@`],
  // "token":"…" inside JSON text (e.g. a request body logged as a string), escaped or not, and token=… in form bodies.
  [/((?:\\?")(?:token|[a-z_]*secret|password|api_?key|authorization|access_token|refresh_token)\\?"\s*:\s*\\?")(?:[^"\\]|\\[^"])+/gi, `$1${REDACTED}`],
  [/\b((?:token|[a-z_]*secret|password|api_?key|access_token|refresh_token)=)[^&\s"\\]+/gi, `$1${REDACTED}`],
];

/** A function that removes every given secret value, and every credential-shaped string, from text. */
export function secretScrubber(secrets: Iterable<string | undefined>): (text: string) => string {
  const values = new Set<string>();
  for (const secret of secrets) {
    // Short values would blank ordinary words; real secrets are long.
    if (!secret || secret.length < 6) continue;
    values.add(secret);
    values.add(JSON.stringify(secret).slice(1, -1)); // as it appears inside a JSON string
  }
  const known = [...values].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const value of known) if (out.includes(value)) out = out.split(value).join(REDACTED);
    for (const [shape, replacement] of SECRET_SHAPES) out = out.replace(shape, replacement);
    return out;
  };
}

/**
 * Every string in the configuration held under a secret-like name (token, secret, key, password), and
 * the password of any URL in it: what the scrubber must know by value. Walks the whole object, so
 * settings added later are covered without a list to keep up to date.
 */
export function secretsIn(config: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown, key: string, depth: number) => {
    if (depth > 6 || value === null || value === undefined) return;
    if (typeof value === "string") {
      if (/token|secret|key|password|credential/i.test(key)) found.push(value);
      if (value.includes("://")) {
        try {
          const password = new URL(value).password;
          if (password) found.push(decodeURIComponent(password), password);
        } catch {
          // not a URL
        }
      }
      return;
    }
    if (typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, k, depth + 1);
  };
  walk(config, "", 0);
  return found;
}

export interface CreateLoggerOptions {
  level: LogLevelName;
  /** Values never to appear in a line (see secretsIn). */
  secrets?: Iterable<string | undefined>;
  /** Where lines go (default: stdout). Receives each finished line, already scrubbed. */
  destination?: { write(line: string): unknown };
}

/** The server process's logger: JSON lines on stdout. */
export function createLogger(options: CreateLoggerOptions): Pino {
  const scrub = secretScrubber(options.secrets ?? []);
  const target = options.destination ?? process.stdout;
  const destination: DestinationStream = { write: (line: string) => void target.write(scrub(line)) };
  return pino(
    {
      level: options.level,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      mixin: () => ({ ...logContext.getStore() }),
    },
    destination,
  );
}

/**
 * A logger for start-up and shutdown milestones ("listening", draining, stopped): written at info even
 * when LOG_LEVEL is warn or error, so a process's start and stop are always visible (and awaited by
 * scripts and supervisors). Tagged `lifecycle: true`.
 */
export function lifecycleLogger(log: Pino): Pino {
  const level = LEVEL_ORDER[log.level as LogLevelName] > LEVEL_ORDER.info ? "info" : log.level;
  return log.child({ lifecycle: true }, { level });
}

/** The app's Logger (engine, features) writing to pino: fields such as `err`, `user`, `team` become JSON fields. */
export function appLogger(log: Pino): Logger & { debug(message: string, fields?: LogFields): void } {
  return {
    debug: (message, fields) => log.debug(fields ?? {}, message),
    info: (message, fields) => log.info(fields ?? {}, message),
    warn: (message, fields) => log.warn(fields ?? {}, message),
    error: (message, fields) => log.error(fields ?? {}, message),
  };
}

const LEVEL_ORDER: Record<LogLevelName, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * Bolt's Logger interface over the app's Logger. Bolt logs `(…values)`: the first Error among them
 * becomes `err` (with its stack), the rest the message. Its level starts at the app's and follows
 * `setLevel`; `setName` tags its lines with `component`.
 */
export function boltLogger(target: Logger, level: LogLevelName): BoltLogger {
  let threshold = level;
  let component = "bolt";
  const emit = (at: LogLevelName, values: unknown[]) => {
    if (LEVEL_ORDER[at] < LEVEL_ORDER[threshold]) return;
    const err = values.find((v) => v instanceof Error);
    const rest = values.filter((v) => v !== err);
    const message = rest.length > 0 ? format(...rest) : err instanceof Error ? err.message : "";
    const fields: LogFields = err ? { component, err } : { component };
    if (at === "debug") target.debug?.(message, fields);
    else target[at](message, fields);
  };
  return {
    debug: (...values: unknown[]) => emit("debug", values),
    info: (...values: unknown[]) => emit("info", values),
    warn: (...values: unknown[]) => emit("warn", values),
    error: (...values: unknown[]) => emit("error", values),
    setLevel: (next: LogLevel) => {
      if (next in LEVEL_ORDER) threshold = next as LogLevelName;
    },
    getLevel: () => threshold as LogLevel,
    setName: (name: string) => {
      component = name;
    },
  };
}
