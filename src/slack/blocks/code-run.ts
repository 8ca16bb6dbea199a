import type { KnownBlock } from "@slack/types";
import type { CodeRunOutcome } from "../../engine/interview/service.js";
import { escapeMrkdwn } from "./text.js";

/** Placeholder until the judge's typed result is wired in: verdict and pass count. */
export function codeRunBlocks(run: CodeRunOutcome): KnownBlock[] {
  const s = run.summary;
  return [{ type: "section", text: { type: "mrkdwn", text: `*${escapeMrkdwn(s.verdict)}* · ${s.passed}/${s.total} tests passed` } }];
}
