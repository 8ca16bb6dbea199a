import { join } from "node:path";
import type { Config } from "../config.js";
import { QuestionBank } from "../engine/content/bank.js";
import { loadRounds } from "../engine/content/load.js";
import { contentPaths } from "../engine/content/paths.js";
import { createGrader } from "../engine/grading/grader.js";
import { createJudge, type Judge } from "../engine/judge/index.js";
import { InterviewService } from "../engine/interview/service.js";
import { InterviewStore } from "../engine/store/interview-store.js";
import type { Inbox } from "../engine/inbox/ports.js";
import type { DocumentStore } from "../engine/storage/documents.js";
import type { Telemetry } from "../engine/telemetry.js";

/** Structured fields a log line may carry (JSON fields in the server's logs; ignored by the console). */
export interface LogFields {
  team?: string;
  user?: string;
  /** An error: logged with its stack. */
  err?: unknown;
  [field: string]: unknown;
}
import { openStorage, schemaForDocument, type ReadinessProbe } from "./storage.js";
import { describeDatabase } from "../infra/postgres/describe.js";

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  debug?(message: string, fields?: LogFields): void;
}

export interface EngineOptions {
  /** Where the engine reports what it does (the app's metrics); default: nowhere. */
  telemetry?: Telemetry;
}

export interface Engine {
  bank: QuestionBank;
  judge: Judge;
  store: InterviewStore;
  /** Every document the engine keeps (lowdb files, or PostgreSQL rows). */
  documents: DocumentStore;
  interview: InterviewService;
  /** Replies received and not yet graded and answered (see src/engine/inbox). */
  inbox: Inbox;
  /**
   * The interview service over one workspace's documents (built once, its documents verified first);
   * `""` is `interview` itself, the single-workspace root. Nothing of another workspace is reachable from it.
   */
  interviewFor(workspace: string): Promise<InterviewService>;
  /** Readiness checks of the storage (database reachable, migrations applied) for GET /readyz. */
  readiness: ReadinessProbe[];
}

/**
 * Builds the interview engine shared by the Slack app, the practice console and the CLI.
 * Validates content and data before anything can write: bad content or a corrupt file stops here.
 */
export async function createEngine(config: Config, logger: Logger, options: EngineOptions = {}): Promise<Engine> {
  const { telemetry } = options;
  const { roundsDir, promptsDir } = contentPaths();
  const bank = new QuestionBank(loadRounds(roundsDir));
  const { documents, inbox, readiness } = await openStorage(config, logger);
  try {
    await documents.verify(schemaForDocument);
  } catch (error) {
    // Start-up stops here: release the files or the connection pool before saying why.
    await inbox.close().catch(() => undefined);
    await documents.close().catch(() => undefined);
    throw error;
  }
  const store = new InterviewStore(documents);
  const grader = createGrader({ llm: config.llm, promptsDir, logger, telemetry });
  // Self-tests the sandbox; when it cannot run, code execution is off and users are told why.
  const judge = await createJudge({
    bank,
    allowUnsandboxed: config.allowUnsandboxedCodeExecution,
    env: { NODE_ENV: config.nodeEnv },
    log: (line) => (line.includes("OFF") || line.includes("WARNING") ? logger.warn(line) : logger.info(line)),
    telemetry,
  });
  const interview = new InterviewService({ bank, store, grader, code: judge, maxAnswerChars: config.maxAnswerChars, telemetry });
  const workspaces = new Map<string, Promise<InterviewService>>([["", Promise.resolve(interview)]]);
  const interviewFor = (workspace: string): Promise<InterviewService> => {
    let built = workspaces.get(workspace);
    if (!built) {
      const docs = documents.forWorkspace(workspace);
      built = docs.verify(schemaForDocument).then(
        () => new InterviewService({ bank, store: new InterviewStore(docs), grader, code: judge, maxAnswerChars: config.maxAnswerChars, telemetry }),
      );
      // A corrupt document fails this workspace's requests, naming the file; the next request looks again.
      built.catch(() => workspaces.delete(workspace));
      workspaces.set(workspace, built);
    }
    return built;
  };
  logger.info(
    `Loaded ${bank.questionCount} questions in ${bank.rounds.length} rounds; data in ${config.database ? describeDatabase(config.database.url) : join(config.dataDir)}; grader: ${
      config.llm ? `LLM (${config.llm.model})` : "offline rubric check (set OPENAI_API_KEY for LLM critiques)"
    }`,
  );
  return { bank, store, documents, judge, interview, inbox, interviewFor, readiness };
}
