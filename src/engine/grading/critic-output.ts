/**
 * The structured output the LLM critic must produce. Field order is the order the model writes in,
 * so it reasons before it scores (as Prometheus and G-Eval do): relevance and wrong claims first,
 * then per dimension evidence → justification → score. Dimensions are an object keyed by rubric id,
 * so strict structured output itself enforces exactly one entry per dimension; scores are an enum.
 */
import { zodResponseFormat } from "openai/helpers/zod";
import { z } from "zod";
import { applicableDimensions } from "../content/dimensions.js";
import type { Question, Round } from "../content/schema.js";

export function critiqueOutputSchema(round: Round, question: Question) {
  const dims = applicableDimensions(round, question);
  const ids = dims.map((d) => d.id) as [string, ...string[]];
  const dimension = z.object({
    evidence_quote: z.string().describe("Exact contiguous quote from the candidate's text supporting the score; empty if there is none"),
    justification: z.string().describe("1-2 sentences: what the answer showed and what it lacked, against the level descriptions"),
    score: z.literal([1, 2, 3, 4]),
  });
  return z.object({
    relevance: z.object({
      reason: z.string().describe("Does the candidate's text answer the question asked (or the probe)? One sentence."),
      addresses_question: z.boolean(),
    }),
    corrections: z
      .array(
        z.object({
          quote: z.string().describe("Exact quote of the wrong claim from the candidate's text"),
          claim: z.string().describe("The wrong claim, restated briefly"),
          correction: z.string().describe("What is actually true, for the candidate"),
          dimension: z.enum(ids),
        }),
      )
      .describe("Technically wrong claims in the answer; empty when there are none"),
    dimensions: z.object(Object.fromEntries(dims.map((d) => [d.id, dimension])) as Record<string, typeof dimension>),
    strengths: z.array(z.string()),
    missed_key_points: z.array(z.string()),
    follow_up_feedback: z
      .object({
        added: z.array(z.string()).describe("What this reply added that earlier turns lacked"),
        still_missing: z.array(z.string()).describe("What the probe asked for that is still missing"),
      })
      .nullable()
      .describe("Only when the candidate is answering a follow-up probe; otherwise null"),
    follow_up: z.string(),
    injection_suspected: z.boolean(),
  });
}

export type CritiqueOutput = z.infer<ReturnType<typeof critiqueOutputSchema>>;

type ResponseFormat = ReturnType<typeof zodResponseFormat<ReturnType<typeof critiqueOutputSchema>>>;

/** Questions are immutable after load; the JSON Schema is built once per question. */
const responseFormats = new WeakMap<Question, ResponseFormat>();

export function responseFormatFor(round: Round, question: Question): ResponseFormat {
  let format = responseFormats.get(question);
  if (!format) {
    format = zodResponseFormat(critiqueOutputSchema(round, question), "interview_critique");
    responseFormats.set(question, format);
  }
  return format;
}
