/** The next probe the offline check asks: a follow-up of the question aimed at the weakest dimension. */
import type { KeyPoint, Round } from "../content/schema.js";
import { wordsOf } from "./text.js";
import type { DimensionScore, GradeRequest } from "./types.js";

/** Follow-ups already asked on this question are not asked again. */
function askedBefore(request: GradeRequest): Set<string> {
  return new Set([request.followUp ?? "", ...(request.previous ?? []).map((t) => t.prompt)].map((t) => t.trim()).filter(Boolean));
}

/**
 * The question's follow-up that best targets the weakest dimension: the one sharing the most words
 * with that dimension's missed key points and description; the first unasked one when none overlap.
 */
export function chooseFollowUp(round: Round, request: GradeRequest, covered: (k: KeyPoint) => boolean, dims: readonly DimensionScore[]): string {
  const { question } = request;
  const asked = askedBefore(request);
  const candidates = question.followUps.filter((f) => !asked.has(f.trim()));
  if (candidates.length === 0) return question.followUps[0]!;

  const weight = (id: string) => round.rubric.find((d) => d.id === id)?.weight ?? 0;
  const weakest = [...dims].sort((a, b) => a.score - b.score || weight(b.id) - weight(a.id))[0]!;
  const dimension = round.rubric.find((d) => d.id === weakest.id)!;
  const targetText = [
    dimension.title,
    dimension.description,
    ...question.keyPoints.filter((k) => k.dimension === dimension.id && !covered(k)).map((k) => k.text),
  ].join(" ");
  const target = new Set(wordsOf(targetText).filter((w) => w.length > 3));

  let best = candidates[0]!;
  let bestOverlap = 0;
  for (const candidate of candidates) {
    const overlap = new Set(wordsOf(candidate).filter((w) => target.has(w))).size;
    if (overlap > bestOverlap) {
      best = candidate;
      bestOverlap = overlap;
    }
  }
  return best;
}
