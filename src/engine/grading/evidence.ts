/**
 * Evidence quotes must be verbatim from the candidate's answer. Models (and people) change quote
 * marks, dashes, spacing and the case of a first letter, and elide with "…"; none of that should
 * make a real quote look invented, while a paraphrase must.
 */

import { foldText } from "./phrases.js";

/** Folds the differences that do not change what was said: quotes, dashes, ellipses, spacing, case. */
export function normaliseForQuote(text: string): string {
  return foldText(text).replace(/\s+/g, " ").trim();
}

/** Quote marks, ellipses and sentence punctuation a quoter adds around the quoted words. */
const FRAME = /^[\s"'.,;:!?()[\]-]+|[\s"'.,;:!?()[\]-]+$/g;

/**
 * True when every fragment of `quote` (split at elisions "...") occurs in `answer`, in order,
 * after normalisation. An empty quote is not evidence of anything and is not "found".
 */
export function quoteIsInAnswer(quote: string, answer: string): boolean {
  const haystack = normaliseForQuote(answer);
  const fragments = normaliseForQuote(quote)
    .split("...")
    .map((f) => f.replace(FRAME, ""))
    .filter((f) => f.length > 0);
  if (fragments.length === 0) return false;
  let from = 0;
  for (const fragment of fragments) {
    const at = haystack.indexOf(fragment, from);
    if (at < 0) return false;
    from = at + fragment.length;
  }
  return true;
}

export interface QuoteCheck {
  /** Quotes found in the answer, as given (trimmed). */
  kept: string[];
  /** How many non-empty quotes were not in the answer. */
  dropped: number;
}

/** Keeps the quotes that are really in the answer; blank quotes mean "no evidence" and are not counted. */
export function checkQuotes(answer: string, quotes: readonly string[]): QuoteCheck {
  const kept: string[] = [];
  let dropped = 0;
  for (const raw of quotes) {
    const quote = raw.trim();
    if (quote.replace(FRAME, "").length === 0) continue;
    if (quoteIsInAnswer(quote, answer)) kept.push(quote);
    else dropped += 1;
  }
  return { kept, dropped };
}
