import type { KnownBlock } from "@slack/types";
import type { QuestionBank } from "../../engine/content/bank.js";
import type { LoopDoc, LoopOutcome, LoopSummary } from "../../engine/loop/records.js";
import { formatLocal } from "../../engine/schedule/zones.js";
import { escapeMrkdwn, SECTION_LIMIT, truncate } from "./text.js";

export const OUTCOME_LABELS: Record<LoopOutcome, string> = {
  "strong-no-hire": "Strong no hire",
  "no-hire": "No hire",
  hire: "Hire",
  "strong-hire": "Strong hire",
  incomplete: "Incomplete",
  "coverage-only": "No recommendation (offline coverage check)",
};

const STATUS_LABELS: Record<LoopDoc["status"], string> = { active: "in progress", completed: "completed", abandoned: "abandoned" };

function pacingLabel(loop: Pick<LoopDoc, "pacing">): string {
  return loop.pacing.kind === "daily" ? "one round a day" : "all rounds in one go";
}

/** Where a running loop stands: each round done, in progress or waiting, and what to do next. */
export function loopStatusBlocks(loop: LoopDoc, bank: QuestionBank, note?: string): { text: string; blocks: KnownBlock[] } {
  const tz = loop.pacing.kind === "daily" ? loop.pacing.tz : "UTC";
  const lines = loop.rounds.map((r, i) => {
    const title = escapeMrkdwn(bank.round(r.roundId).title);
    if (r.status === "done") return `:white_check_mark: ${i + 1}. ${title}`;
    if (r.status === "active") return `:arrow_forward: ${i + 1}. *${title}* — question ${r.current + 1} of ${r.questions.length}, in its thread`;
    if (i === loop.currentRound && loop.nextRoundDueAt) return `:hourglass_flowing_sand: ${i + 1}. ${title} — ${formatLocal(new Date(loop.nextRoundDueAt), tz)}`;
    return `:white_circle: ${i + 1}. ${title}`;
  });
  const blocks: KnownBlock[] = [];
  // `note` is mrkdwn built by the caller with escapeMrkdwn / mrkdwn.
  if (note) blocks.push({ type: "section", text: { type: "mrkdwn", text: truncate(note, SECTION_LIMIT) } });
  blocks.push(
    {
      type: "section",
      text: { type: "mrkdwn", text: truncate(`*Your mock onsite* (${STATUS_LABELS[loop.status]}, ${pacingLabel(loop)})\n${lines.join("\n")}`, SECTION_LIMIT) },
    },
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text:
            loop.status === "active"
              ? "Answer in the current round's thread. `/interview loop end` abandons it (recorded); `/interview loops` lists your loops."
              : "`/interview loop` starts a new one; `/interview loops` lists your loops.",
        },
      ],
    },
  );
  const done = loop.rounds.filter((r) => r.status === "done").length;
  return { text: `Mock onsite ${STATUS_LABELS[loop.status]}: ${done}/${loop.rounds.length} rounds done`, blocks };
}

/** `/interview loops`: latest first, with status and recommendation. */
export function loopListBlocks(loops: readonly LoopSummary[], max = 15): { text: string; blocks?: KnownBlock[] } {
  if (loops.length === 0) {
    return { text: "You haven't sat a mock onsite yet. Start one with `/interview loop` (or `/interview loop daily` for a round a day)." };
  }
  const lines = loops.slice(0, max).map((l, i) => {
    const date = l.createdAt.slice(0, 10);
    const outcome = l.recommendation ? ` · *${OUTCOME_LABELS[l.recommendation]}*` : "";
    const hm = l.withHm ? " · with HM chat" : "";
    return `${i + 1}. ${date} · ${STATUS_LABELS[l.status]}${outcome} · ${l.roundsDone}/${l.rounds} rounds · ${pacingLabel({ pacing: { kind: l.pacing } as LoopDoc["pacing"] })}${hm}`;
  });
  const more = loops.length > max ? `\n…and ${loops.length - max} older` : "";
  return {
    text: `Your mock onsites (${loops.length})`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: truncate(`*Your mock onsites, latest first*\n${lines.join("\n")}${more}`, SECTION_LIMIT) } },
      { type: "context", elements: [{ type: "mrkdwn", text: "`/interview loops 1` shows the latest one's debrief again (`2` the one before, …)." }] },
    ],
  };
}
