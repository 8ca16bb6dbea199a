import type { Question, Round } from "../content/schema.js";

/** Hire signal on the 1–4 scale, computed in code from the weighted overall score. */
export type HireSignal = "strong-no-hire" | "no-hire" | "hire" | "strong-hire";

/** A wrong claim in the answer and what is actually true. */
export interface Correction {
  claim: string;
  correction: string;
  dimension: string;
  /** The candidate's sentence that made the claim, verbatim. */
  quote?: string;
}

/** Whether the answer is about the question asked, or closer to another question of the round. */
export interface Relevance {
  addressesQuestion: boolean;
  closerTo?: { questionId: string; prompt: string };
}

/** Feedback on a reply to a follow-up probe, relative to the answers before it. */
export interface FollowUpFeedback {
  /** The probe the reply answers. */
  probe: string;
  /** Key points the reply added. */
  added: string[];
  /** Key points still missing after the reply. */
  stillMissing: string[];
  /** Dimensions whose score changed with the reply. */
  moved: Array<{ id: string; title: string; from: number; to: number }>;
}

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
  /**
   * Weighted mean of dimension scores, 1–4, rounded to two decimals. For the offline grader this is a
   * *coverage* score (how much of the question's key points the answer shows), never a hire judgement.
   */
  overall: number;
  /** Hire signal computed from `overall`; null for the offline grader, which never pretends to be an interviewer. */
  signal: HireSignal | null;
  dimensions: DimensionScore[];
  strengths: string[];
  /** Key points the answer missed, phrased as feedback. */
  gaps: string[];
  /** Wrong claims found in the answer, each with the fix; a wrong claim caps its dimension at 2. */
  corrections: Correction[];
  /** Whether the answer addresses the question asked (set when it was checked). */
  relevance?: Relevance;
  /** Set when this answer replies to a follow-up probe: what the reply changed. */
  followUpFeedback?: FollowUpFeedback;
  /** One probe an interviewer would ask next. */
  followUp: string;
  injectionSuspected: boolean;
  /** Evidence quotes the model invented (not found in the answer) and that were dropped. */
  droppedQuotes: number;
  /** A label the reader must see with the scores, e.g. that this is an offline rubric check, not an interviewer's judgement. */
  note?: string;
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
