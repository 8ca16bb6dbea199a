import type { KnownBlock } from "@slack/types";
import type { Critique } from "../../engine/grading/types.js";
import { ACTION_IDS } from "./action-ids.js";
import { context, escapeMrkdwn, quote, scoreBar, section, SIGNAL_LABELS, truncate } from "./text.js";

export interface CritiqueView {
  critique: Critique;
  roundTitle: string;
  /** The probe to answer next in the thread, if any. */
  nextFollowUp?: string;
  /** ts of the question message, carried by the Model answer button. */
  threadTs: string;
  /** Set when this critique answers a follow-up rather than the question. */
  followUpAnswered?: string;
}

function graderLabel(c: Critique): string {
  if (c.grader === "llm") return `Graded by an LLM interviewer${c.model ? ` (${escapeMrkdwn(c.model)})` : ""}.`;
  const why = c.fallbackReason ? ` The LLM grader was unavailable (${escapeMrkdwn(c.fallbackReason)}), so this is the fallback.` : "";
  return `:information_source: Offline rubric check — key-point coverage, not an interviewer's judgement: no hire signal.${why}`;
}

function bullets(items: string[], max = 6): string {
  return items
    .slice(0, max)
    .map((i) => `• ${escapeMrkdwn(i)}`)
    .join("\n");
}

/** "Overall 3.10 / 4 · Hire" for the LLM; the offline check's number is coverage and says so. */
export function scoreHeadline(c: Critique): string {
  if (c.signal === null) return `Key-point coverage ${c.overall.toFixed(2)} / 4`;
  return `Overall ${c.overall.toFixed(2)} / 4 · ${SIGNAL_LABELS[c.signal]}`;
}

/** Wrong claims first: feedback that corrects the candidate matters more than a score. */
function correctionsText(c: Critique): string | undefined {
  if (c.corrections.length === 0) return undefined;
  const items = c.corrections.slice(0, 4).map((k) => {
    const said = k.quote ? `\n> ${quote(k.quote, 200)}` : "";
    return `• *Not quite:* ${escapeMrkdwn(k.claim)}${said}\n  ${escapeMrkdwn(k.correction)}`;
  });
  return `*Corrections*\n${items.join("\n")}`;
}

function relevanceText(c: Critique): string | undefined {
  if (!c.relevance || c.relevance.addressesQuestion) return undefined;
  const other = c.relevance.closerTo ? ` It reads like an answer to another question: _${truncate(escapeMrkdwn(c.relevance.closerTo.prompt), 200)}_` : "";
  return `:warning: *This answer does not address the question asked*, so its scores are capped at 2.${other}`;
}

function followUpText(c: Critique): string | undefined {
  const f = c.followUpFeedback;
  if (!f) return undefined;
  const lines = [`*You were asked:* ${truncate(escapeMrkdwn(f.probe), 400)}`];
  lines.push(f.added.length > 0 ? `*Your reply added*\n${bullets(f.added, 5)}` : "*Your reply added* no key point the earlier answer lacked.");
  if (f.moved.length > 0) lines.push(`*Moved:* ${f.moved.map((m) => `${escapeMrkdwn(m.title)} ${m.from} → ${m.to}`).join(" · ")}`);
  else lines.push("*Moved:* no dimension changed.");
  if (f.stillMissing.length > 0) lines.push(`*Still missing*\n${bullets(f.stillMissing, 4)}`);
  return lines.join("\n");
}

/**
 * The critique in the thread: the score headline (overall and signal for the LLM; coverage for the
 * offline check), corrections, per-dimension scores with quotes, strengths, gaps and the follow-up. A
 * reply to a follow-up probe gets feedback on that reply (what it added, what moved) instead of a reprint.
 */
export function critiqueBlocks(view: CritiqueView): { text: string; blocks: KnownBlock[] } {
  const { critique: c } = view;
  const heading = c.followUpFeedback ? "Follow-up feedback" : view.followUpAnswered ? "Follow-up critique" : "Critique";
  const blocks: KnownBlock[] = [
    section(`*${heading} · ${escapeMrkdwn(view.roundTitle)}*\n*${scoreHeadline(c)}*`),
    context(graderLabel(c)),
  ];
  if (c.injectionSuspected) {
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: ":warning: Your answer contained instructions aimed at the grader; they were ignored and scored as content." }],
    });
  }
  for (const extra of [relevanceText(c), correctionsText(c)]) if (extra) blocks.push(section(extra));
  const feedback = followUpText(c);
  if (feedback) blocks.push(section(feedback));
  else {
    const dimensionLines = c.dimensions.map((d) => {
      const cap = d.cappedAt ? ` _(capped at ${d.cappedAt})_` : "";
      const evidence = d.evidence.length > 0 ? `\n> ${quote(d.evidence[0]!)}` : "";
      return `*${escapeMrkdwn(d.title)}* ${scoreBar(d.score)} ${d.score}/4${cap}\n${truncate(escapeMrkdwn(d.justification), 400)}${evidence}`;
    });
    // One section per two dimensions keeps each under the 3,000-character limit.
    for (let i = 0; i < dimensionLines.length; i += 2) blocks.push(section(dimensionLines.slice(i, i + 2).join("\n\n")));
    if (c.strengths.length > 0) blocks.push(section(`*Strengths*\n${bullets(c.strengths)}`));
    if (c.gaps.length > 0) blocks.push(section(`*Gaps*\n${bullets(c.gaps)}`));
  }
  if (view.nextFollowUp) {
    blocks.push(section(`*Follow-up:* ${escapeMrkdwn(view.nextFollowUp)}\n_Reply in this thread to answer it._`));
  }
  blocks.push({
    type: "actions",
    elements: [
      {
        type: "button",
        action_id: ACTION_IDS.modelAnswer,
        text: { type: "plain_text", text: "Model answer" },
        value: view.threadTs,
      },
    ],
  });
  const text = `${heading}: ${scoreHeadline(c)} · ${c.grader === "llm" ? "LLM" : "offline rubric check"}`;
  return { text, blocks };
}
