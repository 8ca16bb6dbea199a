/**
 * Offline rubric grader: the embedded default when no LLM is configured, and the fallback when
 * the LLM fails. Deterministic (same request → same critique). It scores each rubric dimension by
 * how many of the question's key points and the round's signals for that dimension the answer
 * shows, in sentences that say something: filler, repetition, bare keyword lists and text aimed
 * at the grader add nothing.
 */
import type { KeyPoint, Round, RoundSignal } from "../content/schema.js";
import { screenSentences } from "./injection.js";
import { finalScores } from "./score.js";
import { quoteOf, sentenceShape, splitSentences, wordsOf, type Sentence } from "./text.js";
import type { Critique, DimensionScore, GradeRequest, Grader } from "./types.js";

export const OFFLINE_NOTE =
  "Offline rubric check: scores come from matching your answer against this question's key points and the round's signals. It is not an interviewer's judgement.";

/** Most key points (and signals) one sentence can earn: a sentence that names everything explains nothing. */
const CREDITS_PER_PROSE_SENTENCE = 2;
const CREDITS_PER_LIST_SENTENCE = 1;
/** A question's own key points say more about an answer than round-wide signals, so they count double. */
const KEY_POINT_WEIGHT = 2;
/** Pulls a dimension with few checks toward the answer's overall coverage, so one regex cannot swing it 1 → 4. */
const SMOOTHING_WEIGHT = 1;
/** Coverage fraction needed for each score (checked from the top). */
const LEVELS: ReadonlyArray<{ min: number; score: number }> = [
  { min: 0.75, score: 4 },
  { min: 0.5, score: 3 },
  { min: 0.2, score: 2 },
];
/** Short answers cannot show hire-level depth however many terms they hit. */
const BREVITY_CAPS: ReadonlyArray<{ belowWords: number; cap: number }> = [
  { belowWords: 25, cap: 2 },
  { belowWords: 60, cap: 3 },
];
/** A dimension nothing in the question checks is scored from overall coverage, never above this. */
const UNCHECKED_DIMENSION_CAP = 3;
const MAX_QUOTES_PER_DIMENSION = 3;
const MAX_SIGNAL_NOTES = 3;

interface Analysed {
  sentence: Sentence;
  substantive: boolean;
  listLike: boolean;
}

interface Coverage {
  /** Key point → the sentence that earned it. */
  points: Map<KeyPoint, Sentence>;
  /** Signal → the distinct sentences that show it (met when ≥ minSentences). */
  signals: Map<RoundSignal, Sentence[]>;
  /** Words in substantive sentences that touch a key point or signal. */
  substantiveWords: number;
  removedForInjection: number;
}

function compile(patterns: readonly string[]): RegExp[] {
  return patterns.map((p) => new RegExp(p, "i"));
}

function anyMatch(regexes: readonly RegExp[], text: string): boolean {
  return regexes.some((r) => r.test(text));
}

/** The text graded: the answer, plus earlier answers on the same question when this answers a follow-up. */
function gradedTexts(request: GradeRequest): string[] {
  const earlier = request.followUp ? (request.previous ?? []).map((t) => t.answer) : [];
  return [...earlier, request.answer];
}

function analyse(request: GradeRequest): { sentences: Analysed[]; removed: number } {
  const all = gradedTexts(request).flatMap(splitSentences);
  const { kept, removed } = screenSentences(all);
  // A repeated sentence is the same evidence once.
  const seen = new Set<string>();
  const unique = kept.filter((s) => {
    const key = s.words.join(" ");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return {
    sentences: unique.map((sentence) => ({ sentence, ...sentenceShape(sentence) })),
    removed: removed.length,
  };
}

function measureCoverage(round: Round, keyPoints: readonly KeyPoint[], request: GradeRequest): Coverage {
  const { sentences, removed } = analyse(request);
  const pointRegexes = keyPoints.map((k) => ({ point: k, regexes: compile(k.match) }));
  const signalRegexes = round.signals.map((s) => ({ signal: s, regexes: compile(s.match) }));
  const points = new Map<KeyPoint, Sentence>();
  const signals = new Map<RoundSignal, Sentence[]>();
  let substantiveWords = 0;

  for (const { sentence, substantive, listLike } of sentences) {
    if (!substantive) continue;
    // Only sentences that touch the question's content count toward length, so filler cannot lift the brevity cap.
    const relevant =
      pointRegexes.some(({ regexes }) => anyMatch(regexes, sentence.text)) ||
      signalRegexes.some(({ regexes }) => anyMatch(regexes, sentence.text));
    if (relevant) substantiveWords += sentence.words.length;
    const budget = listLike ? CREDITS_PER_LIST_SENTENCE : CREDITS_PER_PROSE_SENTENCE;
    let pointCredits = 0;
    for (const { point, regexes } of pointRegexes) {
      if (pointCredits >= budget) break;
      if (points.has(point) || !anyMatch(regexes, sentence.text)) continue;
      points.set(point, sentence);
      pointCredits += 1;
    }
    let signalCredits = 0;
    for (const { signal, regexes } of signalRegexes) {
      if (signalCredits >= budget) break;
      if (!anyMatch(regexes, sentence.text)) continue;
      const list = signals.get(signal) ?? [];
      if (list.length >= signal.minSentences) continue;
      list.push(sentence);
      signals.set(signal, list);
      signalCredits += 1;
    }
  }
  return { points, signals, substantiveWords, removedForInjection: removed };
}

function signalMet(coverage: Coverage, signal: RoundSignal): boolean {
  return (coverage.signals.get(signal)?.length ?? 0) >= signal.minSentences;
}

function levelFor(fraction: number): number {
  return LEVELS.find((l) => fraction >= l.min)?.score ?? 1;
}

function brevityCap(words: number): number | undefined {
  return BREVITY_CAPS.find((c) => words < c.belowWords)?.cap;
}

function clip(text: string, max = 90): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function describeSignals(met: RoundSignal[], unmet: RoundSignal[]): string {
  const parts: string[] = [];
  if (met.length > 0) parts.push(`shown: ${met.map((s) => s.id).join(", ")}`);
  if (unmet.length > 0) parts.push(`not shown: ${unmet.map((s) => s.id).join(", ")}`);
  return parts.length > 0 ? ` Round signals ${parts.join("; ")}.` : "";
}

function scoreDimensions(round: Round, keyPoints: readonly KeyPoint[], coverage: Coverage): DimensionScore[] {
  const totalChecks = keyPoints.length + round.signals.length;
  const totalHits = coverage.points.size + round.signals.filter((s) => signalMet(coverage, s)).length;
  const overallFraction = totalChecks === 0 ? 0 : totalHits / totalChecks;
  const cap = brevityCap(coverage.substantiveWords);

  return round.rubric.map((dim) => {
    const dimPoints = keyPoints.filter((k) => k.dimension === dim.id);
    const dimSignals = round.signals.filter((s) => s.dimension === dim.id);
    const covered = dimPoints.filter((k) => coverage.points.has(k));
    const missed = dimPoints.filter((k) => !coverage.points.has(k));
    const met = dimSignals.filter((s) => signalMet(coverage, s));
    const unmet = dimSignals.filter((s) => !signalMet(coverage, s));

    let score: number;
    let justification: string;
    if (dimPoints.length + dimSignals.length === 0) {
      score = Math.min(levelFor(overallFraction), UNCHECKED_DIMENSION_CAP);
      justification =
        `Offline check: nothing in this question maps to ${dim.title.toLowerCase()}, so it is scored from the answer's overall ` +
        `coverage (${totalHits} of ${totalChecks} checks), at most ${UNCHECKED_DIMENSION_CAP}.`;
    } else {
      const hits = KEY_POINT_WEIGHT * covered.length + met.length;
      const checks = KEY_POINT_WEIGHT * dimPoints.length + dimSignals.length;
      const fraction = (hits + overallFraction * SMOOTHING_WEIGHT) / (checks + SMOOTHING_WEIGHT);
      score = levelFor(fraction);
      let pointsPart: string;
      if (dimPoints.length === 0) {
        // The question does not probe this dimension: round signals can lift it, but missing them
        // is not held against the answer beyond its overall coverage.
        score = Math.max(score, Math.min(levelFor(overallFraction), UNCHECKED_DIMENSION_CAP));
        pointsPart = `this question has no key point for ${dim.title.toLowerCase()}; scored from round signals and overall coverage (${totalHits} of ${totalChecks} checks).`;
      } else {
        pointsPart =
          `covered ${covered.length} of ${dimPoints.length} key point${dimPoints.length === 1 ? "" : "s"}` +
          (missed.length > 0 ? `; missing: ${missed.map((k) => `"${clip(k.text)}"`).join(", ")}.` : ".");
      }
      justification = `Offline check: ${pointsPart}${describeSignals(met, unmet)}`;
    }
    if (cap !== undefined && score > cap) {
      score = cap;
      justification += ` Held at ${cap}: only ${coverage.substantiveWords} words of the answer address the question's key points.`;
    }

    const evidenceSentences = [...covered.map((k) => coverage.points.get(k)!), ...met.flatMap((s) => coverage.signals.get(s) ?? [])];
    const evidence = [...new Set(evidenceSentences.map((s) => quoteOf(s)))].slice(0, MAX_QUOTES_PER_DIMENSION);
    return { id: dim.id, title: dim.title, score, justification, evidence };
  });
}

/** Follow-ups already asked on this question are not asked again. */
function askedBefore(request: GradeRequest): Set<string> {
  return new Set([request.followUp ?? "", ...(request.previous ?? []).map((t) => t.prompt)].map((t) => t.trim()).filter(Boolean));
}

/**
 * The question's follow-up that best targets the weakest dimension: the one sharing the most words
 * with that dimension's missed key points and description; the first unasked one when none overlap.
 */
function chooseFollowUp(round: Round, request: GradeRequest, keyPoints: readonly KeyPoint[], coverage: Coverage, dims: DimensionScore[]): string {
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
    ...keyPoints.filter((k) => k.dimension === dimension.id && !coverage.points.has(k)).map((k) => k.text),
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

function codeNote(request: GradeRequest): string {
  const code = request.code;
  if (!code) return "";
  return ` Code judge: ${code.verdict}, ${code.passed} of ${code.total} tests passed (${code.language}).`;
}

/** Pure function behind OfflineGrader, exported for callers that need a synchronous critique. */
export function gradeOffline(request: GradeRequest): Critique {
  const { round, question } = request;
  const keyPoints = question.keyPoints;
  const coverage = measureCoverage(round, keyPoints, request);
  const raw = scoreDimensions(round, keyPoints, coverage);
  const { dimensions, overall, signal } = finalScores(round, question, raw, request.hintsUsed ?? 0, request.code);

  const metSignals = round.signals.filter((s) => signalMet(coverage, s));
  const unmetSignals = round.signals.filter((s) => !signalMet(coverage, s));
  const strengths = [
    ...keyPoints.filter((k) => coverage.points.has(k)).map((k) => k.text),
    ...metSignals.slice(0, MAX_SIGNAL_NOTES).map((s) => s.description),
  ];
  const gaps = [
    ...keyPoints.filter((k) => !coverage.points.has(k)).map((k) => k.text),
    ...unmetSignals.slice(0, MAX_SIGNAL_NOTES).map((s) => `Round signal not shown: ${s.description}`),
  ];
  const injectionNote =
    coverage.removedForInjection > 0
      ? ` ${coverage.removedForInjection} sentence${coverage.removedForInjection === 1 ? " was" : "s were"} addressed to the grader rather than the question and earned nothing.`
      : "";

  return {
    questionId: question.id,
    roundId: round.id,
    grader: "offline",
    overall,
    signal,
    dimensions,
    strengths,
    gaps,
    followUp: chooseFollowUp(round, request, keyPoints, coverage, dimensions),
    corrections: [],
    injectionSuspected: coverage.removedForInjection > 0,
    droppedQuotes: 0,
    note: OFFLINE_NOTE + injectionNote + codeNote(request),
  };
}

export class OfflineGrader implements Grader {
  readonly kind = "offline" as const;

  async grade(request: GradeRequest): Promise<Critique> {
    return gradeOffline(request);
  }
}
