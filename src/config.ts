import { z } from "zod";
import { QUEUE_NAMES, type QueueName } from "./engine/jobs/ports.js";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const boolish = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

/** Every environment variable the app reads, parsed once at start-up. `.env.example` documents each. */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  DATA_DIR: z.string().trim().min(1).default("./data"),

  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  /** OAuth (many workspaces): the app's credentials and the secret that signs the install flow's state. */
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_STATE_SECRET: optionalString,
  /** 32 random bytes in base64 (`openssl rand -base64 32`): encrypts the stored installations' tokens. */
  TOKEN_ENCRYPTION_KEY: optionalString,
  SLACK_API_URL: z.url().optional().or(z.literal("").transform(() => undefined)),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  ADMIN_USER_IDS: z
    .string()
    .default("")
    .transform((v) => v.split(/[\s,]+/).filter(Boolean)),

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: z.url().optional().or(z.literal("").transform(() => undefined)),
  OPENAI_MODEL: z.string().trim().min(1).default("gpt-4.1-mini"),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(45_000),
  OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /** One deadline for a whole grading attempt: every try, every Retry-After wait. */
  OPENAI_DEADLINE_MS: z.coerce.number().int().min(1_000).max(600_000).default(90_000),
  /** Largest response body read from the LLM server; a bigger one is cut off and the offline check answers. */
  OPENAI_MAX_RESPONSE_BYTES: z.coerce.number().int().min(16_384).max(64 * 1024 * 1024).default(1024 * 1024),
  /**
   * Sampling temperature (default 0, for repeatable critiques). `omit` leaves it out of the request,
   * for models that reject it; reasoning models (o1, o3, gpt-5…) omit it unless it is set.
   */
  OPENAI_TEMPERATURE: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === undefined || v === "" ? undefined : v))
    .refine((v) => v === undefined || v === "omit" || (v.trim() !== "" && Number(v) >= 0 && Number(v) <= 2), "a number from 0 to 2, or omit")
    .transform((v): number | "omit" | undefined => (v === undefined || v === "omit" ? v : Number(v))),
  OPENAI_SEED: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(20_240_601),
  /** Critiques sampled per answer; the per-dimension median is kept (1 = one call). */
  OPENAI_SAMPLES: z.coerce.number().int().min(1).max(5).default(1),

  SCHEDULE_SEND_RATE: z.coerce.number().positive().max(1000).default(5),
  SCHEDULE_SEND_BURST: z.coerce.number().int().min(1).max(10_000).default(10),
  SCHEDULE_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  SCHEDULE_DEFAULT_TZ: z
    .string()
    .trim()
    .default("UTC")
    .transform((tz) => tz || "UTC")
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "must be an IANA timezone such as Europe/Berlin"),

  MAX_ANSWER_CHARS: z.coerce.number().int().min(200).max(100_000).default(12_000),
  /** Follow-up probes per question in a mock loop (`/interview loop`), after the first answer. */
  MOCK_LOOP_FOLLOWUP_DEPTH: z.coerce.number().int().min(0).max(5).default(3),
  ALLOW_UNSANDBOXED_CODE_EXECUTION: boolish,
  /** On SIGTERM/SIGINT, how long answers being graded may take to finish before the process exits. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
  /**
   * On SIGTERM/SIGINT, how long /readyz answers 503 while the app still serves, so a load balancer
   * stops routing to it before it stops taking requests.
   */
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(0),

  /** Set: every piece of state lives in PostgreSQL (see docs/deploy.md); unset: lowdb files under DATA_DIR. */
  DATABASE_URL: optionalString.refine(
    (v) => v === undefined || /^postgres(ql)?:\/\/./.test(v),
    "must be a postgres:// or postgresql:// URL",
  ),
  /** `off`: pending migrations are not applied at start (the app refuses to start while any is pending). */
  DB_MIGRATE: z.enum(["on", "off", ""]).default("on").transform((v) => v !== "off"),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** all: one process does everything; app: serves Slack and enqueues; worker: runs jobs (needs DATABASE_URL). */
  ROLE: z
    .string()
    .trim()
    .toLowerCase()
    .default("all")
    .transform((v) => v || "all")
    .pipe(z.enum(["all", "app", "worker"], { error: "must be all, app or worker" })),
  /** The job queues this process takes (comma-separated); default all four. */
  WORKER_QUEUES: z
    .string()
    .default("")
    .transform((v) => [...new Set(v.split(/[\s,]+/).filter(Boolean).map((q) => q.toLowerCase()))])
    .refine((list) => list.every((q) => (QUEUE_NAMES as readonly string[]).includes(q)), `a comma-separated list of ${QUEUE_NAMES.join(", ")}`)
    .transform((list) => (list.length === 0 ? [...QUEUE_NAMES] : (list as QueueName[]))),
});

export type Config = ReturnType<typeof toConfig>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function toConfig(env: Env) {
  return {
    nodeEnv: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    dataDir: env.DATA_DIR,
    slack: {
      botToken: env.SLACK_BOT_TOKEN,
      signingSecret: env.SLACK_SIGNING_SECRET,
      appToken: env.SLACK_APP_TOKEN,
      /** With a trailing slash, as the Web API client joins method names onto it. */
      apiUrl: env.SLACK_API_URL && !env.SLACK_API_URL.endsWith("/") ? `${env.SLACK_API_URL}/` : env.SLACK_API_URL,
      port: env.PORT,
      adminUserIds: env.ADMIN_USER_IDS,
      /** Set in OAuth mode (many workspaces, installed through /slack/install); undefined with SLACK_BOT_TOKEN. */
      oauth: oauthConfig(env),
    },
    /** Undefined when no key is set: the offline rubric grader is then the embedded default. */
    llm: env.OPENAI_API_KEY
      ? {
          apiKey: env.OPENAI_API_KEY,
          baseURL: env.OPENAI_BASE_URL,
          model: env.OPENAI_MODEL,
          timeoutMs: env.OPENAI_TIMEOUT_MS,
          maxRetries: env.OPENAI_MAX_RETRIES,
          deadlineMs: env.OPENAI_DEADLINE_MS,
          maxResponseBytes: env.OPENAI_MAX_RESPONSE_BYTES,
          temperature: env.OPENAI_TEMPERATURE,
          seed: env.OPENAI_SEED,
          samples: env.OPENAI_SAMPLES,
        }
      : undefined,
    /** Daily questions: how fast a fan-out is sent (see src/engine/schedule/send-queue.ts). */
    schedule: {
      sendRatePerSecond: env.SCHEDULE_SEND_RATE,
      sendBurst: env.SCHEDULE_SEND_BURST,
      sendConcurrency: env.SCHEDULE_SEND_CONCURRENCY,
      defaultTimeZone: env.SCHEDULE_DEFAULT_TZ,
    },
    maxAnswerChars: env.MAX_ANSWER_CHARS,
    /** Mock onsite loops (see docs/mock-loop.md). */
    loop: { followUpDepth: env.MOCK_LOOP_FOLLOWUP_DEPTH },
    allowUnsandboxedCodeExecution: env.ALLOW_UNSANDBOXED_CODE_EXECUTION && env.NODE_ENV !== "production",
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    shutdownDelayMs: env.SHUTDOWN_DELAY_MS,
    /** Undefined without DATABASE_URL: the embedded storage under DATA_DIR is then the default. */
    database: env.DATABASE_URL ? { url: env.DATABASE_URL, migrate: env.DB_MIGRATE, poolSize: env.DB_POOL_SIZE } : undefined,
    /** Which parts this process runs (README → "Processes and roles"). */
    role: env.ROLE,
    /** The job queues a worker (or an `all` process) takes. */
    workerQueues: env.WORKER_QUEUES,
  };
}

type Env = z.infer<typeof envSchema>;

const OAUTH_VARIABLES = ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "SLACK_STATE_SECRET"] as const;
const KEY_HOW_TO = "make one with `openssl rand -base64 32`";

/** OAuth mode's settings; only called once `slackModeProblems` found none. */
function oauthConfig(env: Env) {
  if (!env.SLACK_CLIENT_ID || !env.SLACK_CLIENT_SECRET || !env.SLACK_STATE_SECRET || env.SLACK_BOT_TOKEN) return undefined;
  return {
    clientId: env.SLACK_CLIENT_ID,
    clientSecret: env.SLACK_CLIENT_SECRET,
    stateSecret: env.SLACK_STATE_SECRET,
    tokenEncryptionKey: Buffer.from(env.TOKEN_ENCRYPTION_KEY ?? "", "base64"),
  };
}

/**
 * One bot token (one workspace) or OAuth (many): never both, never half of OAuth, and in OAuth mode a
 * token encryption key of exactly 32 bytes. Messages name variables only, never their values.
 */
function slackModeProblems(env: Env): string[] {
  const oauthSet = OAUTH_VARIABLES.filter((name) => env[name] !== undefined);
  if (oauthSet.length === 0) return [];
  if (env.SLACK_BOT_TOKEN) {
    return [
      `SLACK_BOT_TOKEN and ${oauthSet.join(", ")} are both set: choose one mode. SLACK_BOT_TOKEN serves one workspace; SLACK_CLIENT_ID + SLACK_CLIENT_SECRET + SLACK_STATE_SECRET (without SLACK_BOT_TOKEN) serve many workspaces installed through /slack/install.`,
    ];
  }
  const missing = OAUTH_VARIABLES.filter((name) => env[name] === undefined);
  if (missing.length > 0) {
    return [`OAuth mode needs SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET together: ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} missing.`];
  }
  if (!env.TOKEN_ENCRYPTION_KEY) return [`TOKEN_ENCRYPTION_KEY is required in OAuth mode (it encrypts the workspaces' bot tokens at rest): ${KEY_HOW_TO}.`];
  const key = env.TOKEN_ENCRYPTION_KEY;
  const bytes = Buffer.from(key, "base64");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || bytes.length !== 32) {
    return [`TOKEN_ENCRYPTION_KEY must be 32 random bytes in base64 (44 characters); this one is ${bytes.length} bytes: ${KEY_HOW_TO}.`];
  }
  return [];
}

/** Parses the environment; reports every invalid variable at once (values are never echoed: they may be secrets). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const problems = slackModeProblems(parsed.data);
  if (problems.length > 0) throw new ConfigError(problems);
  if (parsed.data.ROLE !== "all" && !parsed.data.DATABASE_URL) {
    throw new ConfigError([
      `ROLE=${parsed.data.ROLE} needs DATABASE_URL: without a database, app and worker processes share no job queue. Leave ROLE unset (all) to run everything in one process.`,
    ]);
  }
  if (parsed.data.WORKER_QUEUES.length < QUEUE_NAMES.length && !parsed.data.DATABASE_URL) {
    throw new ConfigError([
      `WORKER_QUEUES=${parsed.data.WORKER_QUEUES.join(",")} needs DATABASE_URL: without a database no other process takes the remaining queues, so their jobs would never run. Leave WORKER_QUEUES unset.`,
    ]);
  }
  return toConfig(parsed.data);
}

/** Which variables Slack mode still lacks, for a helpful start-up message. */
export function missingSlackVariables(config: Config): string[] {
  const missing: string[] = [];
  if (!config.slack.botToken && !config.slack.oauth) missing.push("SLACK_BOT_TOKEN (or SLACK_CLIENT_ID + SLACK_CLIENT_SECRET + SLACK_STATE_SECRET for many workspaces)");
  if (!config.slack.signingSecret && !config.slack.appToken) missing.push("SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)");
  return missing;
}
