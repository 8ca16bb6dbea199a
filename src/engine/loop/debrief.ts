import type { QuestionBank } from "../content/bank.js";
import type { Round } from "../content/schema.js";
import { committeeDecision } from "./committee.js";
import type { Debrief, LoopDoc, LoopQuestion, LoopRound } from "./records.js";
import { hintEffect, scoreQuestion, scoreRound, type QuestionScore, type ScoredDimension } from "./scoring.js";

type DebriefRound = Debrief["rounds"][number];

/** How many things to practise next the debrief names. */
export const FOCUS_COUNT = 3;

/** Questions that count: answered ones, and ones explicitly skipped. A question still open counts only if answered. */
function countedQuestions(round: LoopRound): LoopQuestion[] {
  return round.questions.filter((q) => q.status === "answered" || q.status === "skipped" || (q.status === "active" && q.turns.length > 0));
}

/** The quote behind a dimension's highest (or lowest) score across the round's turns. */
function evidenceFor(record: readonly LoopQuestion[], dimensionId: string, prefer: "high" | "low"): { score: number; quote: string } | undefined {
  let found: { score: number; quote: string } | undefined;
  for (const q of record)
    for (const t of q.turns)
      for (const d of t.dimensions) {
        if (d.id !== dimensionId || !d.evidence) continue;
        const better = !found || (prefer === "high" ? d.score > found.score : d.score < found.score);
        if (better) found = { score: d.score, quote: d.evidence };
      }
  return found;
}

function sortedByScore(dimensions: readonly ScoredDimension[], round: Round): ScoredDimension[] {
  const weight = (id: string) => round.rubric.find((d) => d.id === id)?.weight ?? 0;
  return [...dimensions].sort((a, b) => a.score - b.score || weight(b.id) - weight(a.id));
}

function debriefRound(bank: QuestionBank, loopRound: LoopRound): DebriefRound | undefined {
  const counted = countedQuestions(loopRound);
  if (counted.length === 0) return undefined;
  const round = bank.round(loopRound.roundId);
  const scores: QuestionScore[] = counted.map((q) => scoreQuestion(round, bank.get(q.questionId).question, q));
  const total = scoreRound(round, scores);
  const ordered = sortedByScore(total.dimensions, round);
  const weakest = ordered[0]!;
  const strongest = ordered.at(-1)!;

  const reasons: string[] = [];
  if (strongest.score > weakest.score) {
    reasons.push(`Strongest: ${strongest.title} (${strongest.score.toFixed(2)}/4)`);
    reasons.push(`Weakest: ${weakest.title} (${weakest.score.toFixed(2)}/4)`);
  } else reasons.push(`Every dimension at ${weakest.score.toFixed(2)}/4`);
  const skipped = scores.filter((s) => s.status === "skipped").length;
  if (skipped > 0) reasons.push(`${skipped} question${skipped > 1 ? "s" : ""} skipped without an answer (scored 1 on every dimension)`);
  for (const q of counted) {
    if (q.code) reasons.push(`Code for ${q.questionId}: ${q.code.verdict.replace(/_/g, " ")}, ${q.code.passed}/${q.code.total} tests (${q.code.language})`);
  }
  const gaps = [...new Set(counted.flatMap((q) => q.turns.flatMap((t) => t.gaps)))].slice(0, 2);
  for (const gap of gaps) reasons.push(`Gap: ${gap}`);

  const evidence: DebriefRound["evidence"] = [];
  const high = evidenceFor(counted, strongest.id, "high");
  if (high) evidence.push({ dimensionId: strongest.id, dimensionTitle: strongest.title, score: high.score, quote: high.quote });
  // The weakest dimension's quote too, when it differs from the strongest's (scores and words).
  const low = weakest.score < strongest.score ? evidenceFor(counted, weakest.id, "low") : undefined;
  if (low && low.quote !== high?.quote) evidence.push({ dimensionId: weakest.id, dimensionTitle: weakest.title, score: low.score, quote: low.quote });

  const hints: DebriefRound["hints"] = [];
  for (const q of counted) {
    const effect = hintEffect(round, bank.get(q.questionId).question, q.hintsTaken);
    if (effect) hints.push({ questionId: q.questionId, count: q.hintsTaken, ...effect });
  }

  return {
    roundId: round.id,
    title: round.title,
    overall: total.overall,
    signal: total.signal,
    dimensions: total.dimensions,
    reasons,
    evidence,
    hints,
    questions: scores.map((s, i) => ({
      questionId: s.questionId,
      status: s.status,
      overall: s.overall,
      turns: counted[i]!.turns.length,
      hintsTaken: counted[i]!.hintsTaken,
      ...(counted[i]!.code ? { code: `${counted[i]!.code!.verdict} ${counted[i]!.code!.passed}/${counted[i]!.code!.total}` } : {}),
    })),
  };
}

/**
 * The three things to practise next: the weakest (round, dimension) pairs — lowest score first, then
 * the heavier rubric weight — taking at most one per round before a round is used twice, so the daily
 * schedule spreads its focus the way the loop showed it was needed.
 */
export function pickFocus(bank: QuestionBank, rounds: readonly DebriefRound[], count = FOCUS_COUNT): Debrief["focus"] {
  const candidates = rounds.flatMap((r) => {
    const round = bank.round(r.roundId);
    return r.dimensions.map((d) => ({ round: r, dim: d, weight: round.rubric.find((x) => x.id === d.id)?.weight ?? 0 }));
  });
  candidates.sort((a, b) => a.dim.score - b.dim.score || b.weight - a.weight);
  const picked: typeof candidates = [];
  for (const c of candidates) if (picked.length < count && !picked.some((p) => p.round.roundId === c.round.roundId)) picked.push(c);
  for (const c of candidates) if (picked.length < count && !picked.includes(c)) picked.push(c);
  return picked.map((c) => ({
    roundId: c.round.roundId,
    dimensionId: c.dim.id,
    score: c.dim.score,
    why: `${c.round.title} · ${c.dim.title} averaged ${c.dim.score.toFixed(2)}/4`,
  }));
}

/** The debrief of a loop: complete when every round was sat, otherwise (abandoned) only the rounds sat and no recommendation. */
export function buildDebrief(bank: QuestionBank, loop: LoopDoc, now: Date): Debrief {
  const rounds = loop.rounds.map((r) => debriefRound(bank, r)).filter((r): r is DebriefRound => r !== undefined);
  const complete = loop.rounds.every((r) => r.status === "done");
  const offline = rounds.filter((r) => r.signal === null);
  const recommendation = !complete
    ? {
        outcome: "incomplete" as const,
        rule: "No recommendation: the loop was ended before every round was sat",
        reasons: rounds.length > 0 ? [`${rounds.length} of ${loop.rounds.length} rounds sat`] : ["No round was answered"],
      }
    : offline.length > 0
      ? {
          outcome: "coverage-only" as const,
          rule: "No recommendation: the offline coverage check graded some rounds, and coverage is not a hire signal",
          reasons: offline.map((r) => `${r.title}: key-point coverage ${r.overall.toFixed(2)}/4 (offline check)`),
        }
      : committeeDecision(rounds.map((r) => ({ roundId: r.roundId, title: r.title, signal: r.signal! })));
  return { generatedAt: now.toISOString(), complete, rounds, recommendation, focus: pickFocus(bank, rounds) };
}
