import { z } from "zod";

/** Ids are kebab-case so they read well in commands, JSON and file names. */
const id = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be kebab-case (a-z, 0-9, -)");
const text = z.string().trim().min(1);

/** What a 1/2/3/4 looks like on one rubric dimension (1 strong no hire … 4 strong hire). */
export const rubricLevelsSchema = z.strictObject({
  1: text,
  2: text,
  3: text,
  4: text,
});

export const rubricDimensionSchema = z.strictObject({
  id,
  title: text,
  description: text,
  /** Relative weight; the overall score is the weighted mean, so weights need not sum to 1. */
  weight: z.number().positive().max(1),
  levels: rubricLevelsSchema,
});

/**
 * Phrases the offline grader looks for. Each entry is a case-insensitive regular expression
 * matched against the answer (word boundaries are the author's job: `\\bndcg\\b`).
 */
const patterns = z.array(text).min(1);

/**
 * Paraphrase fixtures for a pattern set: sentences that must match and sentences that must not
 * (include a negated one and a near miss), at least two of each. `npm run validate` and the tests run them, so a pattern edit that
 * breaks a paraphrase fails before it ships. See src/engine/grading/phrases.ts for the semantics.
 */
export const phraseExamplesSchema = z.strictObject({
  match: z.array(text).min(2),
  noMatch: z.array(text).min(2),
});

export const keyPointSchema = z.strictObject({
  /** The point as an interviewer would phrase it in feedback. */
  text,
  /** The rubric dimension this point is evidence for. */
  dimension: id,
  /** Any one of these in a sentence (outside a negated clause) marks the point as covered. */
  match: patterns,
  /** Required: a pattern set nobody has tried on paraphrases is a guess. */
  examples: phraseExamplesSchema,
});

/**
 * A wrong claim interviewers commonly hear. When it matches (outside a negated clause) the
 * dimension is capped and the correction is shown to the candidate.
 */
export const misconceptionSchema = z.strictObject({
  /** The wrong claim, as a candidate would state it. */
  claim: text,
  /** What is actually true, written for the candidate. */
  correction: text,
  dimension: id,
  match: patterns,
  /** Required: a wrong-claim pattern must be shown not to fire on the correct statement or its negation. */
  examples: phraseExamplesSchema,
});

/** A round-wide signal, e.g. STAR structure or a quantified impact, scored by the offline grader. */
export const roundSignalSchema = z.strictObject({
  id,
  description: text,
  dimension: id,
  match: patterns,
  /** How many distinct sentences must match before the signal counts (default 1). */
  minSentences: z.number().int().positive().default(1),
});

export const difficultySchema = z.enum(["easy", "medium", "hard"]);

// ---------- coding problems (coding round only) ----------

export const languageSchema = z.enum(["python", "javascript"]);
export type Language = z.infer<typeof languageSchema>;

export const compareModeSchema = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("exact") }),
  z.strictObject({ mode: z.literal("unordered") }),
  /** Outer list unordered and every inner list sorted before comparing (pairs, groups). */
  z.strictObject({ mode: z.literal("unordered-sorted-inner") }),
  z.strictObject({ mode: z.literal("float"), tolerance: z.number().positive().default(1e-6) }),
  /** A trusted checker written in TypeScript, registered under this name in the judge. */
  z.strictObject({ mode: z.literal("checker"), checker: id }),
]);
export type CompareMode = z.infer<typeof compareModeSchema>;

/** A test input either written out or produced by a named, seeded generator (large perf inputs). */
export const testCaseSchema = z
  .strictObject({
    name: text,
    /** Positional arguments for the entry function (or the harness's input for map-reduce). */
    args: z.array(z.unknown()).optional(),
    generate: z
      .strictObject({ generator: id, params: z.record(z.string(), z.unknown()).default({}) })
      .optional(),
    /** Expected value; omitted when the checker or the TypeScript oracle decides. */
    expected: z.unknown().optional(),
    /** Performance tests are sized so that a quadratic solution exceeds the time limit. */
    performance: z.boolean().default(false),
  })
  .refine((t) => (t.args === undefined) !== (t.generate === undefined), {
    message: "a test has exactly one of `args` or `generate`",
  });
export type TestCaseSpec = z.infer<typeof testCaseSchema>;

export const codingSpecSchema = z.strictObject({
  /** Harness kind: `function` calls one entry point; `mapreduce` runs mapper + reducer. */
  harness: z.enum(["function", "mapreduce"]).default("function"),
  signatures: z.strictObject({ python: text, javascript: text }),
  /** Entry point names, per language (for map-reduce: the mapper and the reducer). */
  entry: z.strictObject({
    python: z.array(text).min(1),
    javascript: z.array(text).min(1),
  }),
  compare: compareModeSchema,
  limits: z.strictObject({
    /** Wall-clock budget for the whole run of all tests, in milliseconds. */
    timeMs: z.number().int().min(100).max(20_000),
    memoryMb: z.number().int().min(32).max(2048),
  }),
  examples: z.array(testCaseSchema).min(1),
  tests: z.array(testCaseSchema).min(10),
  reference: z.strictObject({ python: text, javascript: text }),
});
export type CodingSpec = z.infer<typeof codingSpecSchema>;

// ---------- questions and rounds ----------

export const questionSchema = z.strictObject({
  /** Stable id: answers and schedules refer to it, so never rename one that has shipped. */
  id,
  prompt: text,
  difficulty: difficultySchema,
  tags: z.array(id).min(1),
  keyPoints: z.array(keyPointSchema).min(3),
  /** Shown only after the candidate has answered. */
  referenceAnswer: text,
  followUps: z.array(text).min(2).max(3),
  hints: z.array(text).min(2).max(3),
  /** Minutes a real interviewer would give this question. */
  timeGuideMinutes: z.number().int().positive().max(60).optional(),
  /**
   * The rubric dimensions this question is scored on (a conceptual question is not scored on
   * project depth). Required: every key point's and misconception's dimension must be listed, and
   * every listed dimension needs at least one key point (load.ts checks both).
   */
  dimensions: z.array(id).min(1),
  /** Common wrong claims with their corrections (see misconceptionSchema). */
  misconceptions: z.array(misconceptionSchema).default([]),
  /**
   * For prompts that continue an earlier question in the seed loop ("What would you have done
   * differently?"): the context to put in front of the prompt when it is asked on its own.
   */
  standaloneContext: text.optional(),
  coding: codingSpecSchema.optional(),
});

export const roundSchema = z.strictObject({
  id,
  title: text,
  /** Short names accepted by `/interview ask <alias>`. */
  aliases: z.array(id).default([]),
  /** Position in the onsite loop (hiring-manager chat is 0, it precedes the onsite). */
  order: z.number().int().min(0),
  /** What the round probes, in the words of the seed loop. */
  probes: text,
  timeGuideMinutes: z.number().int().positive().max(90),
  rubric: z.array(rubricDimensionSchema).min(4).max(6),
  signals: z.array(roundSignalSchema).default([]),
  questions: z.array(questionSchema).min(1),
});

export type RubricDimension = z.infer<typeof rubricDimensionSchema>;
export type KeyPoint = z.infer<typeof keyPointSchema>;
export type PhraseExamples = z.infer<typeof phraseExamplesSchema>;
export type Misconception = z.infer<typeof misconceptionSchema>;
export type RoundSignal = z.infer<typeof roundSignalSchema>;
export type Question = z.infer<typeof questionSchema>;
export type Round = z.infer<typeof roundSchema>;
export type RoundFile = z.input<typeof roundSchema>;

export const ROUND_IDS = [
  "hiring-manager",
  "coding",
  "ir-ranking",
  "ml-system-design",
  "ml-modeling",
  "behavioral",
] as const;
export type RoundId = (typeof ROUND_IDS)[number];
