import type { KnownBlock } from "@slack/types";
import type { ModelAnswerOutcome } from "../../engine/interview/service.js";
import { escapeMrkdwn, fallbackText, SECTION_LIMIT, splitForSections, truncate } from "./text.js";

/** `model answer` (typed or clicked) before any answer. */
export const ANSWER_FIRST_TEXT = "Answer first, then the model answer unlocks — that's how the practice sticks.";

type ModelAnswer = Extract<ModelAnswerOutcome, { kind: "model-answer" }>;

/** The reference answer, led by the key points this person missed so they read those first. */
export function modelAnswerBlocks(outcome: ModelAnswer): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [];
  if (outcome.missedPoints.length > 0) {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: truncate(`*What your answer missed*\n${outcome.missedPoints.map((p) => `• ${escapeMrkdwn(p)}`).join("\n")}`, SECTION_LIMIT) },
    });
  }
  // Long reference answers are split across sections rather than cut.
  const chunks = splitForSections(escapeMrkdwn(outcome.referenceAnswer.trim()));
  chunks.forEach((chunk, i) => {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: i === 0 ? `*Model answer*\n${chunk}` : chunk } });
  });
  return { text: `Model answer: ${fallbackText(outcome.question.prompt, 200)}`, blocks: blocks.slice(0, 50) };
}
