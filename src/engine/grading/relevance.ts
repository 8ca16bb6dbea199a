/**
 * Does an answer address the question asked? TF-IDF over the round: each question is a document made
 * of its prompt, key points, reference answer and follow-ups, and the answer is compared with every
 * one of them. An answer that is clearly closer to another question of the round — by vocabulary and
 * by that question's own key points — is reported as not addressing the question asked.
 */
import type { Question, Round } from "../content/schema.js";
import { foldText } from "./phrases.js";
import { FUNCTION_WORDS, wordsOf } from "./text.js";
import type { Relevance } from "./types.js";

/** Words that every answer of a round uses; they say nothing about which question it answers. */
const GENERIC = new Set(
  ("also just like really very would could should what how why who where which your yours there their then than them " +
    "one two three first second some more most many much each every other another such same well good better best " +
    "think know want way ways thing things time times part lot new")
    .split(" "),
);

/** Crude suffix stripping: enough to meet "ranking"/"ranked"/"ranks" and "features"/"feature". */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  return word.replace(/(?:ations?|ings?|ed|ies|es|s|ly)$/, (m) => (m === "ies" ? "y" : "")) || word;
}

export function terms(text: string): string[] {
  return wordsOf(foldText(text))
    .filter((w) => w.length > 2 && !FUNCTION_WORDS.has(w) && !GENERIC.has(w) && !/^\d+$/.test(w))
    .map(stem);
}

type Vector = Map<string, number>;

interface RoundIndex {
  idf: Map<string, number>;
  docs: Map<string, Vector>;
}

const indexes = new WeakMap<Round, RoundIndex>();

function questionText(q: Question): string {
  // The prompt says what is asked; it counts twice.
  return [q.prompt, q.prompt, q.standaloneContext ?? "", ...q.keyPoints.map((k) => k.text), q.referenceAnswer, ...q.followUps].join("\n");
}

function counts(words: readonly string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const w of words) tf.set(w, (tf.get(w) ?? 0) + 1);
  return tf;
}

function weigh(tf: Map<string, number>, idf: Map<string, number>, fallbackIdf: number): Vector {
  const v: Vector = new Map();
  let norm = 0;
  for (const [w, n] of tf) {
    const weight = (1 + Math.log(n)) * (idf.get(w) ?? fallbackIdf);
    v.set(w, weight);
    norm += weight * weight;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [w, x] of v) v.set(w, x / norm);
  return v;
}

function indexOf(round: Round): RoundIndex {
  const cached = indexes.get(round);
  if (cached) return cached;
  const tfs = round.questions.map((q) => [q.id, counts(terms(questionText(q)))] as const);
  const df = new Map<string, number>();
  for (const [, tf] of tfs) for (const w of tf.keys()) df.set(w, (df.get(w) ?? 0) + 1);
  const n = tfs.length;
  const idf = new Map([...df].map(([w, d]) => [w, Math.log((n + 1) / (d + 0.5))]));
  const docs = new Map(tfs.map(([id, tf]) => [id, weigh(tf, idf, 0)]));
  const index = { idf, docs };
  indexes.set(round, index);
  return index;
}

function cosine(a: Vector, b: Vector): number {
  let sum = 0;
  const [small, large] = a.size < b.size ? [a, b] : [b, a];
  for (const [w, x] of small) sum += x * (large.get(w) ?? 0);
  return sum;
}

/** Cosine similarity of the answer with each question of the round, by question id. */
export function similarities(round: Round, answer: string): Map<string, number> {
  const index = indexOf(round);
  const vector = weigh(counts(terms(answer)), index.idf, 0);
  return new Map([...index.docs].map(([id, doc]) => [id, cosine(vector, doc)]));
}

/** Too little to tell what the answer is about: never called off-topic. */
const MIN_TERMS = 12;
/** How much closer to another question the answer must be, by vocabulary alone or backed by that question's key points. */
const CLEAR_MARGIN = 1.6;
const BACKED_MARGIN = 1.15;
/** Share of the asked question's own key points at which the answer addresses it. */
const ADDRESSED_SHARE = 0.5;

export interface RelevanceCheck {
  relevance: Relevance;
  /** Similarity with the question asked (0–1). */
  similarity: number;
}

/**
 * `keyPointShare(q)` is the share of question q's key points the answer covers, so the decision needs
 * both kinds of evidence unless the vocabulary alone is decisive.
 */
export function checkRelevance(
  round: Round,
  question: Question,
  answer: string,
  keyPointShare: (q: Question) => number,
): RelevanceCheck {
  const sims = similarities(round, answer);
  const asked = sims.get(question.id) ?? 0;
  if (terms(answer).length < MIN_TERMS || round.questions.length < 2) return { relevance: { addressesQuestion: true }, similarity: asked };
  let best: Question | undefined;
  let bestSim = -1;
  for (const q of round.questions) {
    if (q.id === question.id) continue;
    const s = sims.get(q.id) ?? 0;
    if (s > bestSim) {
      best = q;
      bestSim = s;
    }
  }
  if (!best) return { relevance: { addressesQuestion: true }, similarity: asked };
  // An answer that shows at least half of what this question asks for, and no less of the closer
  // question's, addresses it whatever its topic (a project story about substitutions is still a project
  // story); other questions' answers pasted together show theirs in full and are still caught.
  const askedShare = keyPointShare(question);
  if (askedShare >= ADDRESSED_SHARE && askedShare >= keyPointShare(best)) return { relevance: { addressesQuestion: true }, similarity: asked };
  const clearly = bestSim > asked * CLEAR_MARGIN;
  const backed = bestSim > asked * BACKED_MARGIN && keyPointShare(best) > keyPointShare(question);
  if (!clearly && !backed) return { relevance: { addressesQuestion: true }, similarity: asked };
  return { relevance: { addressesQuestion: false, closerTo: { questionId: best.id, prompt: best.prompt } }, similarity: asked };
}
