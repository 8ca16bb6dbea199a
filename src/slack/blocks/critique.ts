import type { KnownBlock } from "@slack/types";
import type { Critique } from "../../engine/grading/types.js";
import { ACTION_IDS } from "./action-ids.js";
import { escapeMrkdwn, quote, scoreBar, SECTION_LIMIT, SIGNAL_LABELS, truncate } from "./text.js";

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
  return `:information_source: Offline rubric check — key-point coverage, not an interviewer's judgement.${why}`;
}

function bullets(items: string[], max = 6): string {
  return items
    .slice(0, max)
    .map((i) => `• ${escapeMrkdwn(i)}`)
    .join("\n");
}

/** The critique in the thread: overall and signal, per-dimension scores with quotes, strengths, gaps, follow-up. */
export function critiqueBlocks(view: CritiqueView): { text: string; blocks: KnownBlock[] } {
  const { critique: c } = view;
  const signal = SIGNAL_LABELS[c.signal];
  const heading = view.followUpAnswered ? "Follow-up critique" : "Critique";
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: `*${heading} · ${escapeMrkdwn(view.roundTitle)}*\n*Overall ${c.overall.toFixed(2)} / 4 · ${signal}*`,
      },
    },
    { type: "context", elements: [{ type: "mrkdwn", text: graderLabel(c) }] },
  ];
  if (c.injectionSuspected) {
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: ":warning: Your answer contained instructions aimed at the grader; they were ignored and scored as content." }],
    });
  }
  const dimensionLines = c.dimensions.map((d) => {
    const cap = d.cappedAt ? ` _(capped at ${d.cappedAt}: hint taken)_` : "";
    const evidence = d.evidence.length > 0 ? `\n> ${quote(d.evidence[0]!)}` : "";
    return `*${escapeMrkdwn(d.title)}* ${scoreBar(d.score)} ${d.score}/4${cap}\n${truncate(escapeMrkdwn(d.justification), 400)}${evidence}`;
  });
  // One section per two dimensions keeps each under the 3,000-character limit.
  for (let i = 0; i < dimensionLines.length; i += 2) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: truncate(dimensionLines.slice(i, i + 2).join("\n\n"), SECTION_LIMIT) } });
  }
  if (c.strengths.length > 0) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: truncate(`*Strengths*\n${bullets(c.strengths)}`, SECTION_LIMIT) } });
  }
  if (c.gaps.length > 0) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: truncate(`*Gaps*\n${bullets(c.gaps)}`, SECTION_LIMIT) } });
  }
  if (view.nextFollowUp) {
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: truncate(`*Follow-up:* ${escapeMrkdwn(view.nextFollowUp)}\n_Reply in this thread to answer it._`, SECTION_LIMIT),
      },
    });
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
  const text = `${heading}: ${c.overall.toFixed(2)}/4 (${signal}) · ${c.grader === "llm" ? "LLM" : "offline rubric check"}`;
  return { text, blocks };
}
