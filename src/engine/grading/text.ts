/**
 * Plain-text analysis for the offline grader: sentences, words, and whether a sentence says
 * something (as opposed to being filler or a bare list of terms).
 */
import { createRequire } from "node:module";
import type winkNLP from "wink-nlp";
import type { Model, WinkMethods } from "wink-nlp";

export interface Sentence {
  /** The sentence as the candidate wrote it (trimmed, bullet marker removed): safe to quote. */
  text: string;
  /** Lower-cased word tokens ("a/b", "bm25", "don't" stay whole). */
  words: string[];
}

const BULLET = /^\s*(?:[-*•·>]+|\d{1,2}[.)]|[a-z][.)]|#{1,6})\s+/i;
const ENDS_SENTENCE = /[.!?:;)]["')\]]*\s*$/;
const WORD = /[a-z0-9]+(?:['’/+.&-][a-z0-9]+)*/g;

export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * Hard-wrapped text (an editor or mail client breaking lines at a width) has most of its inner lines
 * close to one width; one-thought-per-line text (phones, chat) has lines of any length.
 */
const MAX_WRAP_WIDTH = 120;
/** Nobody wraps at fewer columns than this; short lines are separate thoughts. */
const MIN_WRAP_WIDTH = 40;
const NEAR_WIDTH = 0.7;
const WRAPPED_SHARE = 0.6;
/** A line ending in one of these continues on the next line even in unwrapped text. */
const DANGLING = /(?:,|\b(?:and|or|but|the|a|an|of|to|with|for|in|on|by|that|which|because|so|than|as|from|into|is|are|was|were))$/i;

function isHardWrapped(paragraph: readonly string[]): boolean {
  const inner = paragraph.slice(0, -1).filter((line) => !BULLET.test(line)).map((line) => line.trim().length);
  if (inner.length < 2) return false;
  const width = Math.max(...inner);
  if (width > MAX_WRAP_WIDTH || width < MIN_WRAP_WIDTH) return false;
  return inner.filter((n) => n >= width * NEAR_WIDTH).length / inner.length >= WRAPPED_SHARE;
}

/** Runs of non-blank lines; each is judged wrapped or not on its own (a code block or list next to it says nothing). */
function paragraphsOf(lines: readonly string[]): string[][] {
  const out: string[][] = [[]];
  for (const line of lines) {
    if (line.trim().length === 0) {
      if (out.at(-1)!.length > 0) out.push([]);
    } else out.at(-1)!.push(line);
  }
  return out.filter((p) => p.length > 0);
}

/**
 * Lines are joined when a sentence continues on the next line: in hard-wrapped text whenever the line
 * does not end a sentence; otherwise only when it visibly dangles (ends with a comma or a connective).
 * Bullets and blank lines always start a new unit.
 */
function logicalLines(text: string): string[] {
  const out: string[] = [];
  for (const paragraph of paragraphsOf(text.replace(/\r\n?/g, "\n").split("\n"))) {
    const wrapped = isHardWrapped(paragraph);
    let current = "";
    for (const raw of paragraph) {
      const line = raw.trim();
      const isBullet = BULLET.test(raw);
      const continues = current !== "" && !isBullet && !ENDS_SENTENCE.test(current) && (wrapped || DANGLING.test(current));
      if (continues) current += " " + line;
      else {
        if (current) out.push(current);
        current = line;
      }
    }
    if (current) out.push(current);
  }
  return out;
}

const require = createRequire(import.meta.url);
let nlp: WinkMethods | undefined;

/**
 * wink-nlp's English model (loaded on first use, about half a second) finds sentence ends in lower-case,
 * unpunctuated and abbreviation-heavy text ("e.g.", "vs.", "0.81") better than a regular expression.
 */
function sentencesOfLine(line: string): string[] {
  nlp ??= (require("wink-nlp") as typeof winkNLP)(require("wink-eng-lite-web-model") as Model);
  // A sentence ends only where space follows: "map.get(i)" and "3.5x" stay whole.
  const merged: string[] = [];
  let cursor = 0;
  for (const sentence of nlp.readDoc(line).sentences().out()) {
    const at = line.indexOf(sentence, cursor);
    const glued = merged.length > 0 && at === cursor;
    if (glued) merged[merged.length - 1] += sentence;
    else merged.push(sentence);
    if (at >= 0) cursor = at + sentence.length;
  }
  return merged;
}

/** Splits an answer into sentences: at line structure first (hard wraps joined, bullets apart), then at sentence ends. */
export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  for (const line of logicalLines(text)) {
    const body = line.replace(BULLET, "");
    for (const part of sentencesOfLine(body)) {
      const sentence = part.trim();
      const words = wordsOf(sentence);
      if (words.length > 0) sentences.push({ text: sentence, words });
    }
  }
  return sentences;
}

/** An answer with its code taken out: prose is graded as prose; comments are the candidate's words about the code. */
export interface SeparatedAnswer {
  prose: string;
  /** Comment and docstring text found in code blocks, one entry per comment. */
  comments: string[];
  /** True when the answer contained a fenced code block. */
  hasCode: boolean;
}

const FENCE = /```[^\n`]*\n?([\s\S]*?)(?:```|$)/g;
const LINE_COMMENT = /(?:^|\s)(?:#|\/\/)\s?(.*)$/;
const BLOCK_COMMENT = /\/\*([\s\S]*?)\*\/|"""([\s\S]*?)"""|'''([\s\S]*?)'''/g;

/** Comment text of one code block: `# …`, `// …`, `/* … *\/` and Python docstrings. */
export function commentsOf(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(BLOCK_COMMENT)) {
    const body = (m[1] ?? m[2] ?? m[3] ?? "").replace(/^\s*\*\s?/gm, "").trim();
    if (body) out.push(body.replace(/\s+/g, " "));
  }
  const withoutBlocks = code.replace(BLOCK_COMMENT, " ");
  for (const line of withoutBlocks.split("\n")) {
    if (/^\s*#!/.test(line)) continue;
    const c = LINE_COMMENT.exec(line);
    const body = c?.[1]?.trim();
    if (body && /[a-z]/i.test(body)) out.push(body);
  }
  return out;
}

/** Takes fenced code blocks out of an answer, keeping their comments; code itself is never prose evidence. */
export function separateCode(text: string): SeparatedAnswer {
  const comments: string[] = [];
  let hasCode = false;
  const prose = text.replace(FENCE, (_all, body: string) => {
    hasCode = true;
    comments.push(...commentsOf(body));
    return "\n\n";
  });
  return { prose, comments, hasCode };
}

/**
 * Function words: ordinary prose is full of them, a list of buzzwords has almost none. Their
 * presence is a cheap, language-aware proxy for "this sentence explains something".
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  (
    "a an the and or but so because since if then than when while which that this these those it its " +
    "is are was were be been being do does did have has had will would can could should may might must " +
    "to of in on at by for with from into over under about as via per not no " +
    "i we you they he she me us my our your their them " +
    "use used using uses make makes made get gets take takes need needs measure measured start train trained " +
    "predict predicts improve improves helps help compare compared means let lets add adds"
  ).split(" "),
);

export const MIN_SUBSTANTIVE_WORDS = 5;

export interface SentenceShape {
  /** Long enough and built like prose: it can carry evidence. */
  substantive: boolean;
  /** Mostly a list of terms (few function words, many separators): can carry at most one point. */
  listLike: boolean;
}

export function sentenceShape(sentence: Sentence): SentenceShape {
  const n = sentence.words.length;
  const functionWords = sentence.words.filter((w) => FUNCTION_WORDS.has(w)).length;
  const separators = (sentence.text.match(/[,;/|]/g) ?? []).length;
  const listLike = functionWords < 2 || functionWords / n < 0.12 || (separators >= 3 && n / (separators + 1) < 3);
  return { substantive: n >= MIN_SUBSTANTIVE_WORDS, listLike };
}

/** Quote-length cap for evidence: long sentences are cut at a word boundary with an elision. */
export function quoteOf(sentence: Sentence, max = 220): string {
  if (sentence.text.length <= max) return sentence.text;
  const cut = sentence.text.slice(0, max);
  const atWord = cut.slice(0, Math.max(cut.lastIndexOf(" "), max * 0.6));
  return `${atWord.trimEnd()}…`;
}
