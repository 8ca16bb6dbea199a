/**
 * What the code judge's verdict means for the words of a critique. Scores follow the verdict in
 * score.ts (floors and caps); here the strengths and gaps are made to agree with it, and the
 * candidate's stated complexity is read from their prose and their code's comments.
 */
import type { Round } from "../content/schema.js";
import { foldText } from "./phrases.js";
import { separateCode } from "./text.js";
import type { CodeRunSummary } from "./types.js";

/** Big-O in the forms people type: O(n), O(n log n), O(R*C), O(V + E), O(n^2), "linear time". */
const BIG_O = /\bo\(\s*[a-z0-9]+(?:\s*(?:[*·x+^/]|log|\s)\s*[a-z0-9()]+)*\s*\)|\b(?:linear|quadratic|logarithmic|constant|log[- ]linear)[- ](?:time|space|memory|extra space)\b|\bn log n\b/i;

/** The first statement of complexity in the candidate's prose or code comments, as written; undefined when none. */
export function complexityStatement(texts: readonly string[]): string | undefined {
  for (const text of texts) {
    const { prose, comments } = separateCode(text);
    for (const part of [prose, ...comments]) {
      const m = BIG_O.exec(foldText(part));
      if (m) return m[0];
    }
  }
  return undefined;
}

const CORRECTNESS = /correct/;
const COMPLEXITY = /complex|efficien|perf/;
const PERFORMANCE_REJECTION = /time_limit|timeout|memory_limit/;

export interface VerdictNotes {
  /** The verdict in words, e.g. "the code judge ran 15 tests: accepted, 15 passed". */
  summary: string;
  strengths: string[];
  gaps: string[];
  /** Dimensions the tests settled in the candidate's favour: their key points are not listed as gaps. */
  settledDimensions: Set<string>;
  /** Dimensions the tests settled against the candidate: their key points are not listed as strengths. */
  contradicted: Set<string>;
}

export function verdictNotes(round: Round, code: CodeRunSummary | undefined, statedComplexity: string | undefined): VerdictNotes {
  const notes: VerdictNotes = { summary: "", strengths: [], gaps: [], settledDimensions: new Set(), contradicted: new Set() };
  if (!code || code.total <= 0) return notes;
  notes.summary = `the code judge ran ${code.total} tests: ${code.verdict.replace(/_/g, " ")}, ${code.passed} passed`;
  const correctness = round.rubric.filter((d) => CORRECTNESS.test(d.id)).map((d) => d.id);
  const complexity = round.rubric.filter((d) => COMPLEXITY.test(d.id)).map((d) => d.id);
  const verdict = code.verdict.replace(/_/g, " ");

  if (code.verdict === "accepted" && code.passed >= code.total) {
    notes.strengths.push(`Passed all ${code.total} tests, including the performance tests.`);
    for (const id of [...correctness, ...complexity]) notes.settledDimensions.add(id);
    if (!statedComplexity)
      notes.gaps.push("State the time and space complexity: none was found in your explanation or your code's comments (the code itself met the performance limit).");
    return notes;
  }
  if (PERFORMANCE_REJECTION.test(code.verdict)) {
    for (const id of complexity) notes.contradicted.add(id);
    notes.gaps.push(
      `The performance tests rejected the solution (${verdict}): it is slower than the problem requires.` +
        (statedComplexity ? ` The complexity you stated (${statedComplexity}) is not what the code does on large inputs.` : ""),
    );
  }
  if (code.passed < code.total) {
    for (const id of correctness) notes.contradicted.add(id);
    notes.gaps.push(`The code failed ${code.total - code.passed} of ${code.total} tests (${verdict}).`);
  }
  return notes;
}
