import { seededRng } from "../../../src/engine/random.js";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QuestionBank } from "../../../src/engine/content/bank.js";
import { roundSchema, type Round } from "../../../src/engine/content/schema.js";
import { OfflineGrader } from "../../../src/engine/grading/offline.js";
import { InterviewService } from "../../../src/engine/interview/service.js";
import { InterviewStore } from "../../../src/engine/store/interview-store.js";
import type { AnswerRecord } from "../../../src/engine/store/records.js";
import type { ManualClock } from "../../../src/engine/schedule/clock.js";
import type { Deliverer } from "../../../src/engine/schedule/deliverer.js";
import { ScheduleStore } from "../../../src/engine/schedule/schedule-store.js";
import { DailyScheduler, type DailySchedulerOptions, type ScheduleLogger } from "../../../src/engine/schedule/scheduler.js";
import { JsonDocs } from "../../../src/infra/embedded/json-docs.js";
import type { DocumentStore } from "../../../src/engine/storage/documents.js";

const levels = { 1: "Little or nothing.", 2: "Some, with gaps.", 3: "Solid.", 4: "Exceptional." };

/**
 * A small, fully valid round (parsed by the real schema): `dims` rubric dimensions and `count`
 * questions; question i exercises dimension i mod dims, so tests can aim at one dimension.
 */
export function makeRound(id: string, order: number, count: number, aliases: string[] = [], dims = 4): Round {
  const rubric = Array.from({ length: dims }, (_, d) => ({
    id: `${id}-dim-${d}`,
    title: `${id} dimension ${d}`,
    description: "What this dimension probes.",
    weight: 1,
    levels,
  }));
  return roundSchema.parse({
    id,
    title: `Round ${id}`,
    aliases,
    order,
    probes: "What the round probes.",
    timeGuideMinutes: 30,
    rubric,
    questions: Array.from({ length: count }, (_, i) => {
      const dim = rubric[i % dims]!.id;
      return {
        id: `${id}-q${i}`,
        prompt: `Question ${i} of ${id}?`,
        difficulty: "medium",
        tags: ["test"],
        dimensions: [dim],
        keyPoints: [0, 1, 2].map((k) => ({
          text: `Point ${k}`,
          dimension: dim,
          match: [`point${k}`],
          examples: { match: [`point${k} here`, `about point${k}`], noMatch: [`not point${k}`, "another point"] },
        })),
        referenceAnswer: "A reference answer.",
        followUps: ["Follow-up one?", "Follow-up two?"],
        hints: ["Hint one.", "Hint two."],
      };
    }),
  });
}

export function makeBank(): QuestionBank {
  return new QuestionBank([
    makeRound("alpha", 0, 5, ["al"]),
    makeRound("beta", 1, 6, ["be"]),
    makeRound("gamma", 2, 4, ["ga"]),
  ]);
}

/** A graded first answer with the given per-dimension scores, as the interview store keeps it. */
export function gradedAnswer(input: {
  userId: string;
  round: Round;
  questionIndex: number;
  scores: Record<string, number>;
  at: string;
  evidence?: Record<string, string>;
  turn?: number;
}): AnswerRecord {
  const question = input.round.questions[input.questionIndex]!;
  const dimensions = input.round.rubric.map((d) => ({
    id: d.id,
    title: d.title,
    score: input.scores[d.id] ?? 3,
    justification: `Justification for ${d.id}.`,
    evidence: input.evidence?.[d.id] ? [input.evidence[d.id]!] : [],
  }));
  const overall = dimensions.reduce((s, d) => s + d.score, 0) / dimensions.length;
  return {
    id: `${input.userId}-${question.id}-${input.at}`,
    userId: input.userId,
    questionId: question.id,
    roundId: input.round.id,
    thread: { channel: "D1", ts: input.at },
    turn: input.turn ?? 0,
    text: "answer",
    createdAt: input.at,
    hintsUsed: 0,
    critique: {
      questionId: question.id,
      roundId: input.round.id,
      grader: "offline",
      overall,
      signal: null,
      corrections: [],
      dimensions,
      strengths: [],
      gaps: [],
      followUp: "",
      injectionSuspected: false,
      droppedQuotes: 0,
    },
  };
}

export async function tempDir(options: { memory?: boolean } = {}): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  // `memory`: on /dev/shm when there is one, for tests whose subject is not the disk but that write thousands of files.
  const base = options.memory && existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
  const dir = await mkdtemp(join(base, "schedule-test-"));
  // Retries: a crashed scheduler in a test may still be finishing a file write.
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 }) };
}

/** Polls in real time (file writes are real I/O even when the clock is manual). */
export async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Captures log lines so tests can assert what operators would read. */
export class MemoryLogger implements ScheduleLogger {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(`info ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error ${message}`);
  }
}

/** A seeded generator so weighted draws are reproducible. */
export const seeded = seededRng;

export interface Harness {
  scheduler: DailyScheduler;
  interview: InterviewService;
  store: ScheduleStore;
  logger: MemoryLogger;
}

/**
 * A scheduler as the app builds one, over real stores in `dataDir`. Building a second harness on
 * the same directory is what a process restart looks like: nothing is shared but the files.
 */
export function buildScheduler(input: {
  dataDir: string;
  /** One store shared by several schedulers (instances on one database); by default each gets its own. */
  docs?: DocumentStore;
  bank?: QuestionBank;
  clock: ManualClock;
  deliverer: Deliverer;
  zones: Map<string, string>;
  options?: Partial<DailySchedulerOptions>;
}): Harness {
  const bank = input.bank ?? makeBank();
  const interviewStore = new InterviewStore(input.docs ?? new JsonDocs(input.dataDir));
  const interview = new InterviewService({
    bank,
    store: interviewStore,
    grader: new OfflineGrader(),
    maxAnswerChars: 10_000,
    now: () => input.clock.now(),
  });
  const store = new ScheduleStore(input.docs ?? new JsonDocs(input.dataDir));
  const logger = new MemoryLogger();
  const scheduler = new DailyScheduler({
    store,
    interview,
    deliverer: input.deliverer,
    timeZoneOf: async (userId) => input.zones.get(userId),
    clock: input.clock,
    logger,
    random: seeded(7),
    ...input.options,
  });
  input.clock.quiesce = () => scheduler.idle();
  return { scheduler, interview, store, logger };
}
