import type { KnownBlock } from "@slack/types";
import type { Debrief } from "../../engine/loop/records.js";
import { OUTCOME_LABELS } from "./loop-status.js";
import { escapeMrkdwn, quote, scoreBar, SECTION_LIMIT, SIGNAL_LABELS, truncate } from "./text.js";

type DebriefRound = Debrief["rounds"][number];

function roundSection(r: DebriefRound): KnownBlock {
  const dims = r.dimensions
    .map((d) => `${escapeMrkdwn(d.title)} ${scoreBar(d.score)} ${d.score.toFixed(1)}${d.cappedAt !== undefined ? ` _(capped at ${d.cappedAt})_` : ""}`)
    .join(" · ");
  const reasons = r.reasons.map((x) => `• ${escapeMrkdwn(x)}`).join("\n");
  const evidence = r.evidence.map((e) => `> ${quote(e.quote, 200)} — _${escapeMrkdwn(e.dimensionTitle)} ${e.score}/4_`).join("\n");
  const hints = r.hints
    .map((h) => `:bulb: ${h.count} hint${h.count > 1 ? "s" : ""} on \`${escapeMrkdwn(h.questionId)}\` → ${escapeMrkdwn(h.dimensionTitle)} capped at ${h.cap}`)
    .join("\n");
  const headline = r.signal
    ? `*${escapeMrkdwn(r.title)}* · ${r.overall.toFixed(2)}/4 · *${SIGNAL_LABELS[r.signal]}*`
    : `*${escapeMrkdwn(r.title)}* · coverage ${r.overall.toFixed(2)}/4 · _offline check, no hire signal_`;
  const text = [headline, dims, reasons, evidence, hints]
    .filter(Boolean)
    .join("\n");
  return { type: "section", text: { type: "mrkdwn", text: truncate(text, SECTION_LIMIT) } };
}

/**
 * The debrief: the committee's recommendation and the rule that decided it, then per round the scores by
 * dimension, the hire signal with its reasons, quoted evidence and any hints, then what to practise next.
 */
export function loopDebriefBlocks(debrief: Debrief, options: { focusFed: boolean }): { text: string; blocks: KnownBlock[] } {
  const { recommendation } = debrief;
  const outcome = OUTCOME_LABELS[recommendation.outcome];
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: debrief.complete ? "Mock onsite debrief" : "Mock onsite debrief (ended early)", emoji: true } },
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: truncate(
          `*Recommendation: ${outcome}*\n_${escapeMrkdwn(recommendation.rule)}_\n${recommendation.reasons.map((x) => `• ${escapeMrkdwn(x)}`).join("\n")}`,
          SECTION_LIMIT,
        ),
      },
    },
    { type: "divider" },
  ];
  for (const r of debrief.rounds) blocks.push(roundSection(r));
  if (debrief.focus.length > 0) {
    const items = debrief.focus.map((f, i) => `${i + 1}. ${escapeMrkdwn(f.why)}`).join("\n");
    const fed = options.focusFed
      ? "Your daily questions lean toward these for the next few deliveries (set a time with `/interview daily 9:00`)."
      : escapeMrkdwn("Practise them with `/interview ask <round>`.");
    blocks.push({ type: "divider" }, { type: "section", text: { type: "mrkdwn", text: truncate(`*Practise next*\n${items}\n${fed}`, SECTION_LIMIT) } });
  }
  blocks.push({
    type: "context",
    elements: [
      {
        type: "mrkdwn",
        text: "How the recommendation is decided: a round's signal comes from its weighted rubric score; the committee rule then weighs the rounds (coding and ML system design are core). See `/interview loops` for past loops.",
      },
    ],
  });
  return { text: `Mock onsite debrief: ${outcome}`, blocks: blocks.slice(0, 50) };
}
