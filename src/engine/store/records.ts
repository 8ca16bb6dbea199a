import { z } from "zod";

/** Where a question lives in a chat: a channel (or DM) and the ts of the question's message. */
export const threadKeySchema = z.object({ channel: z.string().min(1), ts: z.string().min(1) });
export type ThreadKey = z.infer<typeof threadKeySchema>;

const dimensionScoreSchema = z.object({
  id: z.string(),
  title: z.string(),
  score: z.number(),
  justification: z.string(),
  evidence: z.array(z.string()),
  cappedAt: z.number().optional(),
});

export const critiqueSchema = z.object({
  questionId: z.string(),
  roundId: z.string(),
  grader: z.enum(["llm", "offline"]),
  fallbackReason: z.string().optional(),
  model: z.string().optional(),
  overall: z.number(),
  /** Null for the offline grader (a coverage check, not a hire judgement); older records carry one. */
  signal: z.enum(["strong-no-hire", "no-hire", "hire", "strong-hire"]).nullable(),
  dimensions: z.array(dimensionScoreSchema),
  strengths: z.array(z.string()),
  gaps: z.array(z.string()),
  corrections: z
    .array(z.object({ claim: z.string(), correction: z.string(), dimension: z.string(), quote: z.string().optional() }))
    .default([]),
  relevance: z
    .object({ addressesQuestion: z.boolean(), closerTo: z.object({ questionId: z.string(), prompt: z.string() }).optional() })
    .optional(),
  followUpFeedback: z
    .object({
      probe: z.string(),
      added: z.array(z.string()),
      stillMissing: z.array(z.string()),
      moved: z.array(z.object({ id: z.string(), title: z.string(), from: z.number(), to: z.number() })),
    })
    .optional(),
  followUp: z.string(),
  injectionSuspected: z.boolean(),
  droppedQuotes: z.number(),
  note: z.string().optional(),
});

export const codeRunRecordSchema = z.object({
  language: z.string(),
  verdict: z.string(),
  passed: z.number(),
  total: z.number(),
});

export const answerRecordSchema = z.object({
  id: z.string(),
  userId: z.string(),
  questionId: z.string(),
  roundId: z.string(),
  thread: threadKeySchema,
  /** 0 for the answer to the question itself, n for the n-th follow-up probe. */
  turn: z.number().int().min(0),
  followUp: z.string().optional(),
  text: z.string(),
  createdAt: z.string(),
  critique: critiqueSchema,
  code: codeRunRecordSchema.optional(),
  hintsUsed: z.number().int().min(0).default(0),
  /** The probe asked after this answer (none when the follow-up depth was reached): the thread's next turn derives from it. */
  nextFollowUp: z.string().optional(),
});
export type AnswerRecord = z.infer<typeof answerRecordSchema>;

export const userDocSchema = z.object({
  version: z.literal(1),
  userId: z.string(),
  createdAt: z.string(),
  /** Questions this person has been asked, oldest first: selection avoids repeats from it. */
  asked: z.array(z.object({ questionId: z.string(), at: z.string() })),
  answers: z.array(answerRecordSchema),
});
export type UserDoc = z.infer<typeof userDocSchema>;

export const participantSchema = z.object({
  turns: z.number().int().min(0),
  hintsTaken: z.number().int().min(0),
  /** The probe this person was last asked in this thread; their next reply answers it. */
  pendingFollowUp: z.string().optional(),
  lastAnswerId: z.string().optional(),
});
export type Participant = z.infer<typeof participantSchema>;

export const threadRecordSchema = z.object({
  version: z.literal(1),
  channel: z.string(),
  ts: z.string(),
  questionId: z.string(),
  roundId: z.string(),
  /** Who asked for the question (or the subscriber / channel owner for scheduled ones). */
  askedBy: z.string(),
  audience: z.enum(["dm", "channel"]),
  origin: z.enum(["ask", "daily", "loop"]),
  loopId: z.string().optional(),
  createdAt: z.string(),
  status: z.enum(["open", "skipped", "closed"]),
  participants: z.record(z.string(), participantSchema),
});
export type ThreadRecord = z.infer<typeof threadRecordSchema>;
