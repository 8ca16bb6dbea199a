/**
 * Evidence quotes must be verbatim from the candidate's answer. Models (and people) change quote
 * marks, dashes, spacing and the case of a first letter, and elide with "…"; none of that should
 * make a real quote look invented, while a paraphrase must.
 */

/** Folds the differences that do not change what was said: quotes, dashes, ellipses, spacing, case. */
export function normaliseForQuote(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/\u2026/g, "...")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
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
