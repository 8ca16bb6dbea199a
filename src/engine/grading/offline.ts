/**
 * Offline rubric check: the embedded default when no LLM is configured, and the fallback when the
 * LLM fails. It is a *coverage* check, never an interviewer: it reports which of the question's key
 * points and the round's signals the answer shows (with the sentences as evidence), the wrong claims
 * it recognises (with corrections), whether the answer addresses the question at all, and a 1–4
 * coverage score — no hire signal. Deterministic: the same request gives the same critique.
 *
 * What it refuses to be fooled by:
 *   - negation ("we did not run an A/B test") and typography (phrases.ts folds and negates);
 *   - lists, keyword dumps and templated sentences: together they earn at most one key point per
 *     dimension, and only prose that carries content counts toward length;
 *   - confident wrong claims: a matched misconception earns nothing, caps its dimension at 2 and
 *     shows the correction;
 *   - answers to another question of the round (relevance.ts): every dimension is capped at 2;
 *   - code: the judge's verdict scores correctness and complexity (score.ts), big-O is read from the
 *     prose and the code's comments, and code itself is never quoted as evidence.
 */
import type { KeyPoint, Misconception, Question, Round, RoundSignal } from "../content/schema.js";
import { analyse, gradedTexts, STAR_SIGNAL, starLabels } from "./answer-sentences.js";
import { complexityStatement, verdictNotes } from "./coding.js";
import { chooseFollowUp } from "./follow-up.js";
import { compiled, hits } from "./matching.js";
import { checkRelevance } from "./relevance.js";
import { applicableDimensions, finalScores } from "./score.js";
import { quoteOf, separateCode, splitSentences, type Sentence } from "./text.js";
import type { Correction, Critique, DimensionScore, FollowUpFeedback, GradeRequest, Grader, Relevance } from "./types.js";

export const OFFLINE_NOTE =
  "Offline rubric check: the score is key-point coverage — how many of this question's key points and the round's signals your answer shows. It is not an interviewer's judgement and gives no hire signal.";

/** Most key points (and signals) one prose sentence can earn: a sentence that names everything explains nothing. */
const CREDITS_PER_PROSE_SENTENCE = 2;
/** Key points that lists, keyword dumps and templated sentences can earn together, per dimension. */
const NON_PROSE_CREDITS_PER_DIMENSION = 1;
/** A question's own key points say more about an answer than round-wide signals, so they count double. */
const KEY_POINT_WEIGHT = 2;
/** Pulls a dimension with few checks toward the answer's overall coverage, so one regex cannot swing it 1 → 4. */
const SMOOTHING_WEIGHT = 1;
/** Coverage fraction needed for each score (checked from the top). */
const LEVELS: ReadonlyArray<{ min: number; score: number }> = [
  { min: 0.6, score: 4 },
  { min: 0.4, score: 3 },
  { min: 0.15, score: 2 },
];
/** Short answers cannot show deep coverage however many terms they hit (counted in content-carrying prose words). */
const BREVITY_CAPS: ReadonlyArray<{ belowWords: number; cap: number }> = [
  { belowWords: 25, cap: 2 },
  { belowWords: 60, cap: 3 },
];
/** A dimension nothing in the question checks is scored from overall coverage, never above this. */
const UNCHECKED_DIMENSION_CAP = 3;
/** A wrong claim, or an answer to another question, holds the dimension at this. */
const WRONG_CLAIM_CAP = 2;
const OFF_TOPIC_CAP = 2;
/** A sentence naming this many key points with fewer than MIN_WORDS_PER_KEY_POINT words each explains none of them. */
const DENSE_KEY_POINTS = 3;
const MIN_WORDS_PER_KEY_POINT = 10;
/**
 * Nor does a sentence naming this many checks (key points plus round signals, at least two key points)
 * with fewer than MIN_WORDS_PER_CHECK words each. Measured on the eval set: dump sentences run 4–4.3
 * words a check, the strong answers' densest 6.5 or more.
 */
const DENSE_CHECKS = 4;
const MIN_WORDS_PER_CHECK = 6;
const MAX_QUOTES_PER_DIMENSION = 3;
const MAX_SIGNAL_NOTES = 3;

interface CompiledPoint {
  point: KeyPoint;
  regexes: RegExp[];
}

interface CompiledSignal {
  signal: RoundSignal;
  regexes: RegExp[];
}

interface Coverage {
  /** Key point → the sentence that earned it. */
  points: Map<KeyPoint, Sentence>;
  /** Signal → the distinct sentences that show it (met when ≥ minSentences). */
  signals: Map<RoundSignal, Sentence[]>;
  corrections: Correction[];
  /** Words of prose sentences that carry content (touch a key point or a signal); only these lift the brevity cap. */
  contentWords: number;
  removedForInjection: number;
  /** How many sentences were lists, keyword dumps or templates. */
  nonProse: number;
}

function measureCoverage(
  round: Round,
  question: Question,
  request: GradeRequest,
  dimensionIds: ReadonlySet<string>,
): Coverage {
  const points: CompiledPoint[] = question.keyPoints.filter((k) => dimensionIds.has(k.dimension)).map((point) => ({ point, regexes: compiled(point) }));
  const signals: CompiledSignal[] = round.signals.filter((s) => dimensionIds.has(s.dimension)).map((signal) => ({ signal, regexes: compiled(signal) }));
  const misconceptions = question.misconceptions.map((m) => ({ m, regexes: compiled(m) }));
  const { sentences, removed } = analyse(request, [...points.map((p) => p.regexes), ...signals.map((s) => s.regexes)]);

  const covered = new Map<KeyPoint, Sentence>();
  const shown = new Map<RoundSignal, Sentence[]>();
  const corrections: Correction[] = [];
  const wrong = new Set<Misconception>();
  const nonProseCredits = new Map<string, number>();
  let contentWords = 0;

  for (const analysed of sentences) {
    const { sentence, substantive } = analysed;
    const claims = misconceptions.filter(({ regexes }) => hits(regexes, sentence.text));
    for (const { m } of claims) {
      if (wrong.has(m)) continue;
      wrong.add(m);
      corrections.push({ claim: m.claim, correction: m.correction, dimension: m.dimension, quote: quoteOf(sentence) });
    }
    // A sentence that makes a wrong claim is not evidence of anything else either.
    if (claims.length > 0 || !substantive) continue;

    const pointHits = points.filter(({ regexes }) => hits(regexes, sentence.text));
    const signalHits = signals.filter(({ regexes }) => hits(regexes, sentence.text));
    // Many key points named in few words is a keyword dump written as a sentence: it counts as a list.
    // So is a sentence naming two or more key points that, counting the round signals its terms also
    // hit, names a check every few words — a dump spread two key points a sentence.
    const named = pointHits.length + signalHits.length;
    if (
      analysed.kind === "prose" &&
      ((pointHits.length >= DENSE_KEY_POINTS && sentence.words.length < pointHits.length * MIN_WORDS_PER_KEY_POINT) ||
        (pointHits.length >= 2 && named >= DENSE_CHECKS && sentence.words.length < named * MIN_WORDS_PER_CHECK))
    )
      analysed.kind = "list";
    const kind = analysed.kind;
    if (kind === "prose" && (pointHits.length > 0 || signalHits.length > 0)) contentWords += sentence.words.length;

    let credits = 0;
    for (const { point } of pointHits) {
      if (credits >= (kind === "prose" || kind === "comment" ? CREDITS_PER_PROSE_SENTENCE : 1)) break;
      if (covered.has(point)) continue;
      if (kind === "list" || kind === "templated") {
        const used = nonProseCredits.get(point.dimension) ?? 0;
        if (used >= NON_PROSE_CREDITS_PER_DIMENSION) continue;
        nonProseCredits.set(point.dimension, used + 1);
      }
      covered.set(point, sentence);
      credits += 1;
    }
    // Round signals need prose (or the candidate's comments on their code): a list shows vocabulary, not a habit.
    if (kind === "list" || kind === "templated") continue;
    let signalCredits = 0;
    for (const { signal } of signalHits) {
      if (signalCredits >= CREDITS_PER_PROSE_SENTENCE) break;
      const list = shown.get(signal) ?? [];
      if (list.length >= signal.minSentences) continue;
      list.push(sentence);
      shown.set(signal, list);
      signalCredits += 1;
    }
  }

  const star = starLabels(request);
  if (star.length > 0)
    for (const { signal } of signals)
      if (STAR_SIGNAL.test(`${signal.id} ${signal.description}`)) shown.set(signal, star.slice(0, Math.max(signal.minSentences, 1)));

  const nonProse = sentences.filter((s) => s.substantive && (s.kind === "list" || s.kind === "templated")).length;
  return { points: covered, signals: shown, corrections, contentWords, removedForInjection: removed, nonProse };
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

interface Scored {
  dimensions: DimensionScore[];
  coverage: Coverage;
  relevance: Relevance;
}

function scoreDimensions(round: Round, question: Question, request: GradeRequest): Scored {
  const rubric = applicableDimensions(round, question);
  const ids = new Set(rubric.map((d) => d.id));
  const coverage = measureCoverage(round, question, request, ids);
  const keyPoints = question.keyPoints.filter((k) => ids.has(k.dimension));
  const signals = round.signals.filter((s) => ids.has(s.dimension));
  const totalChecks = keyPoints.length + signals.length;
  const totalHits = coverage.points.size + signals.filter((s) => signalMet(coverage, s)).length;
  const overallFraction = totalChecks === 0 ? 0 : totalHits / totalChecks;
  const brevity = brevityCap(coverage.contentWords);
  const relevance = relevanceOf(round, question, request);
  const wrongDims = new Set(coverage.corrections.map((c) => c.dimension));
  const complexity = complexityStatement(gradedTexts(request));
  const verdict = verdictNotes(round, request.code, complexity);

  const dimensions = rubric.map((dim) => {
    const dimPoints = keyPoints.filter((k) => k.dimension === dim.id);
    const dimSignals = signals.filter((s) => s.dimension === dim.id);
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
      const earned = KEY_POINT_WEIGHT * covered.length + met.length;
      const checks = KEY_POINT_WEIGHT * dimPoints.length + dimSignals.length;
      score = levelFor((earned + overallFraction * SMOOTHING_WEIGHT) / (checks + SMOOTHING_WEIGHT));
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
    // The judge's verdict, not wording, speaks for correctness and complexity.
    if (verdict.settledDimensions.has(dim.id) || verdict.contradicted.has(dim.id)) justification = `Offline check: ${verdict.summary}; scored from the tests, not from wording.`;
    if (/complex/.test(dim.id) && complexity) justification += ` Complexity stated: "${clip(complexity, 60)}".`;

    let cappedAt: number | undefined;
    const cap = (at: number, why: string) => {
      if (score > at) {
        score = at;
        cappedAt = Math.min(cappedAt ?? at, at);
        justification += ` ${why}`;
      }
    };
    if (brevity !== undefined) cap(brevity, `Held at ${brevity}: only ${coverage.contentWords} words of prose address the question's key points.`);
    if (wrongDims.has(dim.id)) cap(WRONG_CLAIM_CAP, `Held at ${WRONG_CLAIM_CAP}: the answer makes a wrong claim here (see Corrections).`);
    if (!relevance.addressesQuestion) cap(OFF_TOPIC_CAP, `Held at ${OFF_TOPIC_CAP}: the answer does not address the question asked.`);

    const evidenceSentences = [...covered.map((k) => coverage.points.get(k)!), ...met.flatMap((s) => coverage.signals.get(s) ?? [])];
    const evidence = [...new Set(evidenceSentences.map((s) => quoteOf(s)))].slice(0, MAX_QUOTES_PER_DIMENSION);
    return { id: dim.id, title: dim.title, score, justification, evidence, ...(cappedAt !== undefined ? { cappedAt } : {}) };
  });
  return { dimensions, coverage, relevance };
}

/** The share of a question's key points the answer's sentences state (outside negation). */
function keyPointShare(question: Question, sentences: readonly Sentence[]): number {
  if (question.keyPoints.length === 0) return 0;
  const covered = question.keyPoints.filter((k) => sentences.some((s) => hits(compiled(k), s.text))).length;
  return covered / question.keyPoints.length;
}

function relevanceOf(round: Round, question: Question, request: GradeRequest): Relevance {
  // A follow-up reply answers the probe, not the question: only a first answer is checked.
  if (request.followUp) return { addressesQuestion: true };
  const prose = separateCode(request.answer).prose;
  const sentences = splitSentences(prose);
  return checkRelevance(round, question, prose, (q) => keyPointShare(q, sentences)).relevance;
}

/** What a reply to a probe changed, against the same check run on the earlier answers alone. */
function followUpFeedback(request: GradeRequest, after: Scored, afterDims: DimensionScore[]): FollowUpFeedback | undefined {
  if (!request.followUp || !request.previous || request.previous.length === 0) return undefined;
  const lastEarlier = request.previous.at(-1)!.answer;
  // The earlier turns graded as they were, as a follow-up (so relevance is judged alike on both sides).
  const beforeRequest: GradeRequest = {
    ...request,
    answer: lastEarlier,
    previous: request.previous.slice(0, -1),
    followUp: request.previous.at(-1)!.prompt,
  };
  const before = scoreDimensions(request.round, request.question, beforeRequest);
  const beforeFinal = finalScores(request.round, request.question, before.dimensions, request.hintsUsed ?? 0, request.code).dimensions;
  const added = [...after.coverage.points.keys()].filter((k) => !before.coverage.points.has(k)).map((k) => k.text);
  const stillMissing = request.question.keyPoints
    .filter((k) => afterDims.some((d) => d.id === k.dimension) && !after.coverage.points.has(k))
    .map((k) => k.text);
  const moved = afterDims.flatMap((d) => {
    const from = beforeFinal.find((b) => b.id === d.id)?.score;
    return from !== undefined && from !== d.score ? [{ id: d.id, title: d.title, from, to: d.score }] : [];
  });
  return { probe: request.followUp, added, stillMissing, moved };
}

/** Pure function behind OfflineGrader, exported for callers that need a synchronous critique. */
export function gradeOffline(request: GradeRequest): Critique {
  const { round, question } = request;
  const scored = scoreDimensions(round, question, request);
  const { coverage, relevance } = scored;
  const { dimensions, overall } = finalScores(round, question, scored.dimensions, request.hintsUsed ?? 0, request.code);
  const scoredIds = new Set(dimensions.map((d) => d.id));
  const keyPoints = question.keyPoints.filter((k) => scoredIds.has(k.dimension));
  const signals = round.signals.filter((s) => scoredIds.has(s.dimension));

  const verdict = verdictNotes(round, request.code, complexityStatement(gradedTexts(request)));
  // The judge's verdict overrides wording: a point the tests settled is neither claimed nor missed in words.
  const settled = (k: KeyPoint) => verdict.settledDimensions.has(k.dimension);
  const metSignals = signals.filter((s) => signalMet(coverage, s) && !verdict.contradicted.has(s.dimension));
  const unmetSignals = signals.filter((s) => !signalMet(coverage, s) && !settled({ dimension: s.dimension } as KeyPoint));
  const strengths = [
    ...verdict.strengths,
    ...keyPoints.filter((k) => coverage.points.has(k) && !verdict.contradicted.has(k.dimension)).map((k) => k.text),
    ...metSignals.slice(0, MAX_SIGNAL_NOTES).map((s) => s.description),
  ];
  const gaps = [
    ...verdict.gaps,
    ...keyPoints.filter((k) => !coverage.points.has(k) && !settled(k)).map((k) => k.text),
    ...unmetSignals.slice(0, MAX_SIGNAL_NOTES).map((s) => `Round signal not shown: ${s.description}`),
  ];
  const notes = [OFFLINE_NOTE];
  if (coverage.removedForInjection > 0)
    notes.push(`${coverage.removedForInjection} sentence${coverage.removedForInjection === 1 ? " was" : "s were"} addressed to the grader rather than the question and earned nothing.`);
  if (coverage.nonProse > 0) notes.push("Lists, keyword dumps and templated sentences earn at most one key point per dimension.");
  if (request.code) notes.push(`Code judge: ${request.code.verdict}, ${request.code.passed} of ${request.code.total} tests passed (${request.code.language}).`);
  const feedback = followUpFeedback(request, scored, dimensions);

  return {
    questionId: question.id,
    roundId: round.id,
    grader: "offline",
    overall,
    signal: null,
    dimensions,
    strengths,
    gaps,
    corrections: coverage.corrections,
    relevance,
    ...(feedback ? { followUpFeedback: feedback } : {}),
    followUp: chooseFollowUp(round, request, (k) => coverage.points.has(k), dimensions),
    injectionSuspected: coverage.removedForInjection > 0,
    droppedQuotes: 0,
    note: notes.join(" "),
  };
}

export class OfflineGrader implements Grader {
  readonly kind = "offline" as const;

  async grade(request: GradeRequest): Promise<Critique> {
    return gradeOffline(request);
  }
}
