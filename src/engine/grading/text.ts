/**
 * Plain-text analysis for the offline grader: sentences, words, and whether a sentence says
 * something (as opposed to being filler or a bare list of terms).
 */

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
 * Lines are joined when a sentence was hard-wrapped (the line does not end a sentence and the
 * next one continues in lower case); bullets and blank lines always start a new unit.
 */
function logicalLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let current = "";
  for (const raw of lines) {
    const line = raw.trim();
    if (line.length === 0) {
      if (current) out.push(current);
      current = "";
      continue;
    }
    const isBullet = BULLET.test(raw);
    const continues = current !== "" && !isBullet && !ENDS_SENTENCE.test(current) && /^[a-z(]/.test(line);
    if (continues) current += " " + line;
    else {
      if (current) out.push(current);
      current = line;
    }
  }
  if (current) out.push(current);
  return out;
}

/** Splits an answer into sentences: at line structure first, then at . ! ? followed by a capital or digit. */
export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  for (const line of logicalLines(text)) {
    const body = line.replace(BULLET, "");
    for (const part of body.split(/(?<=[.!?])["')\]]*\s+(?=["'(\[]?[A-Z0-9])/)) {
      const sentence = part.trim();
      const words = wordsOf(sentence);
      if (words.length > 0) sentences.push({ text: sentence, words });
    }
  }
  return sentences;
}

/**
 * Function words: ordinary prose is full of them, a list of buzzwords has almost none. Their
 * presence is a cheap, language-aware proxy for "this sentence explains something".
 */
const FUNCTION_WORDS = new Set(
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
