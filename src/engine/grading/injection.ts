/**
 * Sentences that talk to the grader instead of answering the question. The offline grader drops
 * them before scoring (so they can never add credit) and reports that it saw them. Patterns aim at
 * grader-directed language and avoid ordinary ML vocabulary ("prompt", "score", "rating").
 */
import type { Sentence } from "./text.js";

/** Words that name the grader itself; deliberately excludes "model", "system", "interviewer". */
const GRADER = "(?:grader|grading (?:model|system|ai)|evaluator|examiner|assessor|ai|llm|gpt|chatgpt|claude|language model|assistant|bot)";

const INJECTION_PATTERNS: readonly RegExp[] = [
  // "ignore previous instructions", "disregard all prior rules", "forget the rubric"
  /\b(?:ignore|disregard|forget|override|bypass)\b[^.!?]{0,20}\b(?:previous|prior|above|earlier|all|any|your|grading|system|these|those)\s+(?:\w+\s+)?(?:instructions?|prompts?|rules|rubric|guidelines|directions)\b/i,
  /\b(?:ignore|disregard|forget|override|bypass)\s+(?:the\s+)?(?:instructions|rubric|system prompt|grading (?:rules|criteria))\b/i,
  // "give me a 4", "award this answer full marks"
  /\b(?:give|award|assign|grant)\s+(?:me|this (?:answer|response|candidate)|my (?:answer|response)|the candidate)\b[^.!?]{0,30}\b(?:4|four|full|perfect|max(?:imum)?|highest|top|strong[- ]hire|hire|marks?)\b/i,
  // "rate me", "grade my answer as …"
  /\b(?:rate|score|grade|mark|evaluate)\s+(?:me|this (?:answer|response)|my (?:answer|response))\b/i,
  // the critique's own vocabulary
  /\b(?:strong[- ]hire|hire signal|injection[_ ]suspected|evidence[_ ]quote|missed[_ ]key[_ ]points|full marks)\b/i,
  // addressing the grader directly
  new RegExp(`\\bas (?:the|an?|my) ${GRADER}(?=\\s*[,:]|\\s+you\\b)`, "i"),
  new RegExp(`\\b(?:dear|hey|hi|hello|attention|note to|message to)\\s+(?:the\\s+|any\\s+)?${GRADER}s?\\s*[,:!]`, "i"),
  new RegExp(`\\b(?:the|any) ${GRADER}s? (?:reading|grading|evaluating|reviewing|scoring) this\\b`, "i"),
  /\byou (?:are|must|should|will|shall|have to|need to)\b[^.!?]{0,40}\b(?:ignore|disregard|pretend|act as|award|obey|comply)\b/i,
  /\b(?:system|developer) (?:prompt|message)\b|\byour (?:instructions|rubric|grading)\b/i,
  /\byou are now\b|\b(?:here are|these are|following|your) new instructions\b|\bnew instructions?\s*:|\b(?:developer|god|admin|dan) mode\b|\bjailbreak/i,
  /\b(?:pretend|act as if|imagine) (?:you|that you)\b[^.!?]{0,40}\b(?:grader|evaluator|hired|approved)\b/i,
  // spoofed delimiters / message boundaries
  // (">>>" alone is JavaScript's unsigned shift and Python's REPL prompt, so only delimiter-shaped text counts.)
  /<<<\s*(?:END|ANSWER|EARLIER|CODE|SYSTEM|USER)|(?:ANSWER|EARLIER-ANSWER|CODE-OUTPUT)-[0-9a-z]*\s*>>>|\bEND[- _]ANSWER\b|\[\/?(?:INST|SYS)\]|<\|(?:im_start|im_end|system|endoftext)\|>|^\s*(?:system|assistant)\s*:/i,
];

export function isGraderDirected(text: string): boolean {
  return INJECTION_PATTERNS.some((p) => p.test(text));
}

export interface InjectionScreen {
  /** Sentences that answer the question. */
  kept: Sentence[];
  /** Sentences aimed at the grader, removed before scoring. */
  removed: Sentence[];
}

export function screenSentences(sentences: readonly Sentence[]): InjectionScreen {
  const kept: Sentence[] = [];
  const removed: Sentence[] = [];
  for (const s of sentences) (isGraderDirected(s.text) ? removed : kept).push(s);
  return { kept, removed };
}
