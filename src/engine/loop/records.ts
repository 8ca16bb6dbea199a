import { z } from "zod";
import { threadKeySchema } from "../store/records.js";

/**
 * A mock onsite as stored: `DATA_DIR/loops/<userId>/<loopId>.json`, plus one small index per person
 * (`DATA_DIR/loops/<userId>/index.json`) listing their loops. Every change rewrites that loop's file and,
 * when its summary changed, that person's index — never anything that grows with other people's data.
 */

export const signalSchema = z.enum(["strong-no-hire", "no-hire", "hire", "strong-hire"]);

/** One graded reply on a question: to the question itself (turn 0) or to a follow-up probe. */
export const loopTurnSchema = z.object({
  answerId: z.string(),
  /** The probe this reply answered; absent for the answer to the question itself. */
  followUp: z.string().optional(),
  at: z.string(),
  grader: z.enum(["llm", "offline"]),
  overall: z.number(),
  /** Null when the offline coverage check graded the reply (it gives no hire signal). */
  signal: signalSchema.nullable(),
  /** Hints taken before this reply (they capped it). */
  hintsUsed: z.number().int().min(0),
  dimensions: z.array(
    z.object({
      id: z.string(),
      score: z.number(),
      cappedAt: z.number().optional(),
      /** The critic's first verbatim quote for this dimension (already checked against the answer). */
      evidence: z.string().optional(),
    }),
  ),
  strengths: z.array(z.string()),
  gaps: z.array(z.string()),
});
export type LoopTurn = z.infer<typeof loopTurnSchema>;

export const loopQuestionSchema = z.object({
  questionId: z.string(),
  /** pending → active (asked) → answered (at least one graded reply) | skipped (none). */
  status: z.enum(["pending", "active", "answered", "skipped"]),
  askedAt: z.string().optional(),
  endedAt: z.string().optional(),
  hintsTaken: z.number().int().min(0).default(0),
  /** Set once the model answer was shown: later replies on this question are not graded. */
  modelAnswerShownAt: z.string().optional(),
  /** The code judge's verdict on the first answer of a coding question. */
  code: z
    .object({ language: z.string(), verdict: z.string(), passed: z.number(), total: z.number() })
    .optional(),
  turns: z.array(loopTurnSchema).default([]),
});
export type LoopQuestion = z.infer<typeof loopQuestionSchema>;

export const loopRoundSchema = z.object({
  roundId: z.string(),
  timeGuideMinutes: z.number().int().positive(),
  status: z.enum(["pending", "active", "done"]),
  postedAt: z.string().optional(),
  endedAt: z.string().optional(),
  /** The round's thread: every question of the round is asked in it, in turn. */
  thread: threadKeySchema.optional(),
  /** Index of the question being asked. */
  current: z.number().int().min(0).default(0),
  questions: z.array(loopQuestionSchema).min(1).max(3),
});
export type LoopRound = z.infer<typeof loopRoundSchema>;

export const loopPacingSchema = z.discriminatedUnion("kind", [
  /** Each round is posted as soon as the previous one ends. */
  z.object({ kind: z.literal("all") }),
  /** One round a day, at the wall-clock time the loop was started, in the person's zone. */
  z.object({
    kind: z.literal("daily"),
    tz: z.string(),
    time: z.object({ hour: z.number().int().min(0).max(23), minute: z.number().int().min(0).max(59) }),
  }),
]);
export type LoopPacing = z.infer<typeof loopPacingSchema>;

/** `coverage-only`: every round was sat but some were graded by the offline check, which gives no hire signal. */
export const outcomeSchema = z.enum(["strong-no-hire", "no-hire", "hire", "strong-hire", "incomplete", "coverage-only"]);
export type LoopOutcome = z.infer<typeof outcomeSchema>;

export const debriefSchema = z.object({
  generatedAt: z.string(),
  /** False for an abandoned loop: only the rounds sat are shown and no recommendation is made. */
  complete: z.boolean(),
  rounds: z.array(
    z.object({
      roundId: z.string(),
      title: z.string(),
      /** Weighted rubric score; coverage when `signal` is null (graded by the offline check). */
      overall: z.number(),
      signal: signalSchema.nullable(),
      dimensions: z.array(z.object({ id: z.string(), title: z.string(), score: z.number(), cappedAt: z.number().optional() })),
      reasons: z.array(z.string()),
      evidence: z.array(z.object({ dimensionId: z.string(), dimensionTitle: z.string(), score: z.number(), quote: z.string() })),
      hints: z.array(z.object({ questionId: z.string(), count: z.number().int(), dimensionId: z.string(), dimensionTitle: z.string(), cap: z.number() })),
      questions: z.array(
        z.object({
          questionId: z.string(),
          status: z.enum(["answered", "skipped"]),
          overall: z.number(),
          turns: z.number().int(),
          hintsTaken: z.number().int(),
          code: z.string().optional(),
        }),
      ),
    }),
  ),
  recommendation: z.object({
    outcome: outcomeSchema,
    /** The clause of the committee rule that decided, in words. */
    rule: z.string(),
    reasons: z.array(z.string()),
  }),
  /** The three things to practise next (fed to the daily schedule's focus). */
  focus: z.array(z.object({ roundId: z.string(), dimensionId: z.string(), score: z.number(), why: z.string() })),
});
export type Debrief = z.infer<typeof debriefSchema>;

export const loopDocSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  userId: z.string(),
  createdAt: z.string(),
  withHm: z.boolean(),
  pacing: loopPacingSchema,
  /** Follow-up probes asked per question after the first answer (fixed when the loop starts). */
  followUpDepth: z.number().int().min(0).max(5),
  /** Where rounds are posted (a DM channel in Slack); set by the adapter. */
  channel: z.string().optional(),
  status: z.enum(["active", "completed", "abandoned"]),
  /** When it completed or was abandoned. */
  endedAt: z.string().optional(),
  currentRound: z.number().int().min(0),
  /** Daily pacing: when the next round is posted (absent while a round is in progress). */
  nextRoundDueAt: z.string().optional(),
  /**
   * Several instances: the one posting the round at `roundIndex` and until when. Another instance's
   * pacer leaves the round alone while the lease lives and takes it over once it has run out.
   */
  roundClaim: z.object({ roundIndex: z.number().int().min(0), owner: z.string(), leaseUntil: z.string() }).optional(),
  rounds: z.array(loopRoundSchema).min(1),
  debrief: debriefSchema.optional(),
});
export type LoopDoc = z.infer<typeof loopDocSchema>;

export const loopSummarySchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  status: z.enum(["active", "completed", "abandoned"]),
  pacing: z.enum(["all", "daily"]),
  withHm: z.boolean(),
  rounds: z.number().int(),
  roundsDone: z.number().int(),
  endedAt: z.string().optional(),
  nextRoundDueAt: z.string().optional(),
  recommendation: outcomeSchema.optional(),
});
export type LoopSummary = z.infer<typeof loopSummarySchema>;

export const loopIndexSchema = z.object({
  version: z.literal(1),
  userId: z.string(),
  activeLoopId: z.string().optional(),
  /** Oldest first. */
  loops: z.array(loopSummarySchema),
});
export type LoopIndex = z.infer<typeof loopIndexSchema>;
