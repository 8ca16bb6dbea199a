/**
 * How the offline check decides that a sentence states something: the shared semantics of every
 * `match` pattern in the round files (key points, misconceptions, signals) and of their paraphrase
 * fixtures.
 *
 * - Text is folded first (Unicode NFKC, typographic quotes and dashes to ASCII, invisible characters
 *   removed, lower case), so a phone's "A/B‐test — 12‑month" matches the pattern written as `a/b test`.
 * - Patterns are case-insensitive JavaScript regular expressions tested against ONE sentence.
 * - A match inside a negated clause earns nothing: "we did not run an A/B test", "an A/B test was not
 *   run", "without an A/B test". A negator that is part of the match itself ("no order in 60 days")
 *   does not negate it. A negator reaches 6 words ahead in its clause, and further along an or/nor
 *   coordination or a comma list: "I would not use k-fold or any stratified folds", "we never report
 *   calibration, PR-AUC or bootstrap intervals". A comma that starts a new clause ("…, so we ran an
 *   A/B test", "…, AUC was 0.8") ends the negation.
 */

const TYPOGRAPHY: ReadonlyArray<[RegExp, string]> = [
  [/[\u2018\u2019\u201A\u201B\u2032\u02BC\u00B4`]/g, "'"],
  [/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"'],
  [/[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D]/g, "-"],
  [/\u2026/g, "..."],
  [/[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g, " "],
  [/[\u00AD\u200B-\u200D\u2060\uFEFF]/g, ""],
  [/\u00D7/g, "x"],
];

/** The form every pattern is matched against. Length may change: never index the original with it. */
export function foldText(text: string): string {
  let out = text.normalize("NFKC");
  for (const [from, to] of TYPOGRAPHY) out = out.replace(from, to);
  return out.toLowerCase();
}

/** Words that start a new clause. */
const CLAUSE_WORDS = String.raw`\b(?:but|however|although|though|whereas|while|instead|yet|so|because|which|then)\b`;
/** Where one clause ends and the next begins: negation does not cross these. */
const CLAUSE_BREAK = new RegExp(String.raw`[,;:()]|\s-\s|${CLAUSE_WORDS}`, "g");

/** Words that negate what follows them in their clause. */
// Bounded by non-word, non-hyphen characters: "item-not-found" or "no-show rate" negate nothing.
const NEGATOR =
  /(?<![\w-])(?:not|no|never|none|nothing|neither|nor|without|cannot|can't|won't|didn't|don't|doesn't|isn't|aren't|wasn't|weren't|haven't|hasn't|hadn't|shouldn't|wouldn't|couldn't|lack(?:s|ed|ing)?|fail(?:s|ed)? to|skip(?:ped)?|avoid(?:ed)? (?:running|using|doing))(?![\w-])/g;
/** "not only X but also Y", "no matter" and the like negate nothing. */
const NOT_A_NEGATION = /\b(?:not only|not just|not merely|no matter|no doubt|not least)\b/g;
/** A negation after the match that still negates it: "an A/B test was not run", "AUC isn't used". */
const TRAILING_NEGATION = /^\s*(?:\S+\s+){0,2}?(?:(?:is|are|was|were|be|been|being|do|does|did|has|have|had|will|would|should|could|can)\s+(?:not|never)\b|(?:isn't|aren't|wasn't|weren't|don't|doesn't|didn't|hasn't|haven't|won't|wouldn't|can't|cannot)\b)/;
/** Words of context before a match in which a negator still applies. */
const NEGATION_WINDOW_WORDS = 6;

export interface PhraseHit {
  /** Index of the pattern that matched. */
  pattern: number;
  /** The matched text, folded. */
  text: string;
}

/** Where the clause holding `index` starts: just after the last break (of `breaks`) that ends at or before it. */
function clauseStart(folded: string, index: number, breaks: RegExp = CLAUSE_BREAK): number {
  let start = 0;
  for (const m of folded.matchAll(breaks)) {
    const end = m.index + m[0].length;
    if (end > index) break;
    start = end;
  }
  return start;
}

function clauseEnd(folded: string, index: number): number {
  for (const m of folded.matchAll(CLAUSE_BREAK)) if (m.index >= index) return m.index;
  return folded.length;
}

/** Clause breaks other than the comma: a comma may only separate the items of a negated list. */
const HARD_BREAK = new RegExp(String.raw`[;:()]|\s-\s|${CLAUSE_WORDS}`, "g");
/** A comma-separated piece that starts a new clause (it has its own subject) ends a negation's scope. */
const NEW_SUBJECT = /\b(?:i|we|you|they|he|she|it|this|that|there|which|who)\b/;
/**
 * A conditional or temporal clause keeps its negation to itself when a main clause follows it ("if
 * neighbours can't see different prices, randomise by market and use …"), but not across the items of
 * its own list ("if we don't report calibration, PR-AUC or …"): told apart by the words after the comma.
 */
const MAIN_CLAUSE_MIN_WORDS = 2;
const SUBORDINATE_CLAUSE = /^\s*(?:if|when|whenever|unless|once|since|as long as|even if)\b/;
/** List items a negation carries over: "we never report calibration, PR-AUC or bootstrap intervals". */
const MAX_LIST_ITEM_WORDS = 4;
/** Words between a negator and a match joined by or/nor ("not k-fold cross-validation or any stratified folds"). */
const MAX_COORDINATED_WORDS = 12;


function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** True when `text` has a negator followed, within MAX_COORDINATED_WORDS, by or/nor before its end. */
function negatesCoordination(text: string): boolean {
  const negator = new RegExp(NEGATOR.source, "g");
  for (const m of text.matchAll(negator)) {
    const rest = text.slice(m.index + m[0].length);
    if (words(rest).length <= MAX_COORDINATED_WORDS && /\b(?:or|nor)\b/.test(rest)) return true;
  }
  return false;
}

/**
 * True when the match at [start, end) sits in a negated clause of `folded`: a negator within
 * NEGATION_WINDOW_WORDS before it in its clause, a negator whose or/nor coordination reaches it, a
 * negated comma-separated list it belongs to, or "was not / isn't …" right after it.
 */
export function isNegated(folded: string, start: number, end: number): boolean {
  const before = folded.slice(clauseStart(folded, start), start).replace(NOT_A_NEGATION, " ");
  const window = words(before).slice(-NEGATION_WINDOW_WORDS).join(" ");
  if (new RegExp(NEGATOR.source).test(window)) return true;
  // Across commas: walk back over short list items to the clause that holds the negator.
  const pieces = folded.slice(clauseStart(folded, start, HARD_BREAK), start).replace(NOT_A_NEGATION, " ").split(",");
  const last = pieces.pop() ?? "";
  if (negatesCoordination(last)) return true;
  // Only a real list carries the negation: "or/nor/and" or a further comma around the match.
  const after = folded.slice(end, clauseEnd(folded, end));
  const rest = folded.slice(end);
  const itemRest = /^[^,;:.!?]*/.exec(rest)![0];
  const isList =
    /\b(?:or|nor|and)\b/.test(last + itemRest) ||
    pieces.length >= 2 ||
    (words(itemRest).length <= MAX_LIST_ITEM_WORDS && rest.charAt(itemRest.length) === ",");
  let crossing = last;
  while (isList && pieces.length > 0) {
    if (words(crossing).length > MAX_LIST_ITEM_WORDS + 1 || NEW_SUBJECT.test(crossing)) break;
    const previous = pieces.pop()!;
    if (SUBORDINATE_CLAUSE.test(previous) && words(crossing).length > MAIN_CLAUSE_MIN_WORDS) break;
    if (new RegExp(NEGATOR.source).test(previous)) return true;
    crossing = previous;
  }
  return TRAILING_NEGATION.test(after);
}

export function compilePatterns(patterns: readonly string[]): RegExp[] {
  return patterns.map((p) => new RegExp(p, "gi"));
}

/**
 * The first pattern that matches `sentence` outside a negated clause, or undefined. Every occurrence
 * is tried, so "we did not use accuracy; we used AUC" still credits AUC.
 */
export function matchPhrase(patterns: readonly RegExp[], sentence: string): PhraseHit | undefined {
  const folded = foldText(sentence);
  for (const [i, regex] of patterns.entries()) {
    regex.lastIndex = 0;
    const global = regex.global ? regex : new RegExp(regex.source, regex.flags + "g");
    for (const m of folded.matchAll(global)) {
      if (m[0].length === 0) continue;
      if (!isNegated(folded, m.index, m.index + m[0].length)) return { pattern: i, text: m[0] };
    }
  }
  return undefined;
}
