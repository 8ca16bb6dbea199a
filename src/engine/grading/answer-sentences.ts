/**
 * The sentences of an answer as the offline check reads them: prose split into sentences, code taken
 * out (its comments kept as the candidate's words), sentences aimed at the grader removed, repeats
 * counted once, and each sentence classed as prose, a list or keyword dump, a template, or a comment.
 */
import { screenSentences } from "./injection.js";
import { sentenceShape, separateCode, splitSentences, wordsOf, type Sentence } from "./text.js";
import type { GradeRequest } from "./types.js";

/** Sentences whose wording outside the key terms is this alike are one template filled with different terms. */
const TEMPLATE_SIMILARITY = 0.7;
const MIN_TEMPLATE_WORDS = 3;

export type SentenceKind = "prose" | "list" | "templated" | "comment";

export interface Analysed {
  sentence: Sentence;
  kind: SentenceKind;
  substantive: boolean;
}

/** The texts graded: earlier answers on the question when this replies to a follow-up, then the answer. */
export function gradedTexts(request: GradeRequest): string[] {
  const earlier = request.followUp ? (request.previous ?? []).map((t) => t.answer) : [];
  return [...earlier, request.answer];
}

/** Words of a sentence outside the spans any key point or signal matched: what is left of its template. */
function residualWords(sentence: Sentence, all: readonly RegExp[][]): string[] {
  let text = sentence.text.toLowerCase();
  for (const regexes of all)
    for (const r of regexes) {
      const g = new RegExp(r.source, "gi");
      text = text.replace(g, " ");
    }
  return wordsOf(text);
}

function jaccard(a: readonly string[], b: readonly string[]): number {
  const A = new Set(a);
  const B = new Set(b);
  let both = 0;
  for (const w of A) if (B.has(w)) both += 1;
  const union = A.size + B.size - both;
  return union === 0 ? 0 : both / union;
}

/**
 * Marks sentences that repeat one frame with different key terms ("It is important to consider NDCG.
 * It is important to consider BM25."): each is a slot filled, not an explanation.
 */
function markTemplates(sentences: Analysed[], patterns: readonly RegExp[][]): void {
  const residuals = sentences.map((a) => residualWords(a.sentence, patterns));
  for (let i = 0; i < sentences.length; i++) {
    if (residuals[i]!.length < MIN_TEMPLATE_WORDS) continue;
    for (let j = i + 1; j < sentences.length; j++) {
      if (residuals[j]!.length < MIN_TEMPLATE_WORDS) continue;
      if (jaccard(residuals[i]!, residuals[j]!) >= TEMPLATE_SIMILARITY) {
        if (sentences[i]!.kind === "prose") sentences[i]!.kind = "templated";
        if (sentences[j]!.kind === "prose") sentences[j]!.kind = "templated";
      }
    }
  }
}

export function analyse(request: GradeRequest, patterns: readonly RegExp[][]): { sentences: Analysed[]; removed: number } {
  const prose: Sentence[] = [];
  const comments: Sentence[] = [];
  for (const text of gradedTexts(request)) {
    const separated = separateCode(text);
    prose.push(...splitSentences(separated.prose));
    for (const c of separated.comments) comments.push(...splitSentences(c));
  }
  const { kept, removed } = screenSentences(prose);
  const { kept: keptComments, removed: removedComments } = screenSentences(comments);
  // A repeated sentence is the same evidence once.
  const seen = new Set<string>();
  const unique = (s: Sentence) => {
    const key = s.words.join(" ");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const sentences: Analysed[] = [
    ...kept.filter(unique).map((sentence) => {
      const shape = sentenceShape(sentence);
      return { sentence, kind: (shape.listLike ? "list" : "prose") as SentenceKind, substantive: shape.substantive };
    }),
    ...keptComments.filter(unique).map((sentence) => ({ sentence, kind: "comment" as SentenceKind, substantive: sentence.words.length >= 2 })),
  ];
  markTemplates(
    sentences.filter((s) => s.kind === "prose" && s.substantive),
    patterns,
  );
  return { sentences, removed: removed.length + removedComments.length };
}

/** STAR written as labels ("Situation: … Task: … Action: … Result: …") is STAR structure, whatever the wording. */
const STAR_LABEL = /^\s*\**\s*(situation|task|actions?|results?)\s*\**\s*[:\-–—]/i;
/** A round signal about STAR structure (matched on its id and description). */
export const STAR_SIGNAL = /\bstar\b|situation/i;

export function starLabels(request: GradeRequest): Sentence[] {
  const found = new Map<string, Sentence>();
  for (const text of gradedTexts(request))
    for (const line of separateCode(text).prose.split(/\n/)) {
      const m = STAR_LABEL.exec(line.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, ""));
      if (!m) continue;
      const label = m[1]!.toLowerCase().replace(/s$/, "");
      const sentence = splitSentences(line)[0];
      if (sentence && !found.has(label)) found.set(label, sentence);
    }
  return found.size >= 3 ? [...found.values()] : [];
}
