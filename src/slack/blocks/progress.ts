import type { KnownBlock } from "@slack/types";
import type { ProgressReport } from "../../engine/progress/report.js";
import type { Trend } from "../../engine/progress/sparkline.js";
import { formatLocal } from "../../engine/schedule/zones.js";
import { context, escapeMrkdwn, quote, section, SECTION_LIMIT, truncate } from "./text.js";

const TREND: Record<Trend, string> = { up: "↗ improving", down: "↘ slipping", flat: "→ steady", new: "" };

function score(value: number | undefined): string {
  return value === undefined ? "—" : `${value.toFixed(2)} / 4`;
}

/**
 * Progress as Block Kit sections, shared by `/interview stats` and the App Home: per round answers,
 * average and sparkline; the weakest rubric dimensions with the latest evidence; streak; next question.
 * Everything here comes from the viewer's own answers only.
 */
export function progressBlocks(report: ProgressReport): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (report.answers === 0) {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: "No graded answers yet. Try `/interview ask` or set up a daily question — your progress will show here." },
    });
  } else {
    const overall = report.overall;
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: `*Overall* ${score(overall.average)} over ${report.answers} answer${report.answers === 1 ? "" : "s"}  \`${overall.sparkline}\` ${TREND[overall.trend]}`,
      },
    });
    const rows = report.rounds.map((r) =>
      r.answers === 0
        ? `*${escapeMrkdwn(r.title)}* — not practised yet`
        : `*${escapeMrkdwn(r.title)}* — ${r.answers} answer${r.answers === 1 ? "" : "s"}, avg ${score(r.average)}  \`${r.sparkline}\` ${TREND[r.trend]}`,
    );
    blocks.push(section(rows.join("\n")));
  }
  if (report.weakest.length > 0) {
    const heading = "*Weakest areas* — the daily question aims here";
    const lines = report.weakest.map((w) => {
      const evidence = w.latest.evidence ? `\n>${quote(w.latest.evidence, 200)}` : `\n>_${truncate(escapeMrkdwn(w.latest.justification), 400)}_`;
      return `• *${escapeMrkdwn(w.title)}* (${escapeMrkdwn(w.roundTitle)}) — avg ${score(w.average)}, latest ${w.latest.score}/4${evidence}`;
    });
    // Whole entries per section (never a quote cut in half), each section within Slack's limit.
    let current = heading;
    for (const line of lines) {
      if (current.length + 1 + line.length > SECTION_LIMIT && current !== heading) {
        blocks.push(section(current));
        current = line;
      } else current = `${current}\n${line}`;
    }
    blocks.push(section(current));
  }
  const streak = report.streak;
  const streakText =
    streak.current > 0
      ? `:fire: *${streak.current}-day streak*${streak.answeredToday ? "" : " — answer today to keep it"} (best ${streak.best})`
      : `No current streak${streak.best > 0 ? ` (best ${streak.best} days)` : ""}.`;
  const next = report.next ? `Next scheduled question: *${escapeMrkdwn(formatLocal(report.next.at, report.next.tz))}*` : "No daily question scheduled.";
  blocks.push(context(`${streakText}  ·  ${next}`));
  return blocks;
}
