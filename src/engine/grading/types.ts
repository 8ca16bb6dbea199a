import type { Question, Round } from "../content/schema.js";

/** Hire signal on the 1–4 scale, computed in code from the weighted overall score. */
export type HireSignal = "strong-no-hire" | "no-hire" | "hire" | "strong-hire";

export interface DimensionScore {
  id: string;
  title: string;
  /** 1 strong no hire … 4 strong hire. */
  score: number;
  justification: string;
  /** Verbatim quotes from the answer; quotes not found in the answer are dropped before this point. */
  evidence: string[];
  /** Set when a hint the candidate took (or the code judge's verdict) capped this dimension. */
  cappedAt?: number;
}

export interface Critique {
  questionId: string;
  roundId: string;
  grader: "llm" | "offline";
  /** Why the offline grader answered although an LLM is configured (timeout, 429s, bad output…). */
  fallbackReason?: string;
  model?: string;
  /** Weighted mean of dimension scores, 1–4, rounded to two decimals. */
  overall: number;
  signal: HireSignal;
  dimensions: DimensionScore[];
  strengths: string[];
  /** Key points the answer missed, phrased as feedback. */
  gaps: string[];
  /** One probe an interviewer would ask next. */
  followUp: string;
  /** Wrong claims found in the answer, each with the fix (a wrong claim caps its dimension). */
  corrections: Correction[];
  /** Set when the answer seems to address another question rather than the one asked. */
  relevance?: Relevance;
  /** Set when this answer responds to a follow-up probe: feedback on that reply, not a reprint. */
  followUpFeedback?: FollowUpFeedback;
  injectionSuspected: boolean;
  /** Evidence quotes the model invented (not found in the answer) and that were dropped. */
  droppedQuotes: number;
  /** A label the reader must see with the scores, e.g. that this is an offline rubric check, not an interviewer's judgement. */
  note?: string;
}

export interface Correction {
  /** The wrong claim, as stated or paraphrased from the answer. */
  claim: string;
  correction: string;
  /** Rubric dimension the claim belongs to (its score is capped). */
  dimension: string;
  /** Verbatim quote from the answer, when one was verified. */
  quote?: string;
}

export interface Relevance {
  addressesQuestion: boolean;
  /** The question the answer is closer to, when one was found. */
  closerTo?: { questionId: string; prompt: string };
}

export interface FollowUpFeedback {
  /** The probe this reply answers. */
  probe: string;
  /** What the reply added (covered now, not before). */
  added: string[];
  /** What the probe asked for that is still missing. */
  stillMissing: string[];
  /** How each dimension moved from the previous turn. */
  moved: Array<{ id: string; title: string; from: number; to: number }>;
}

/** Earlier turns on the same question, so a follow-up answer is graded in context. */
export interface PriorTurn {
  prompt: string;
  answer: string;
  /** Per-dimension scores that turn received, so a follow-up can say how each moved. */
  scores?: Record<string, number>;
}

/** What the code judge found, passed to the critic so the review matches the verdict. */
export interface CodeRunSummary {
  language: string;
  verdict: string;
  passed: number;
  total: number;
  detail?: string;
}

export interface GradeRequest {
  round: Round;
  question: Question;
  /** The candidate's answer: untrusted text. */
  answer: string;
  /** Set when this answer responds to a follow-up probe rather than to the question itself. */
  followUp?: string;
  previous?: PriorTurn[];
  /** Number of hints taken on this question; each caps the related dimension (mock loop). */
  hintsUsed?: number;
  code?: CodeRunSummary;
}

export interface Grader {
  readonly kind: "llm" | "offline";
  grade(request: GradeRequest): Promise<Critique>;
}
