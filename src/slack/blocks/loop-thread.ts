import type { KnownBlock } from "@slack/types";
import type { ExtractionResult } from "../../engine/judge/index.js";
import type { LoopOutput } from "../../engine/loop/outputs.js";
import { answerOutcomeMessage } from "./answer-outcome.js";
import { AFTER_MODEL_ANSWER_TEXT, LOOP_ENDED_UNANSWERED, LOOP_ENDED_WITH_DEBRIEF, loopQuestionMessage, loopRoundEndedText, QUESTION_DONE_TEXT } from "./loop-round.js";
import { ANSWER_FIRST_TEXT, modelAnswerBlocks } from "./model-answer.js";
import { escapeMrkdwn, mention, mrkdwn } from "./text.js";

/** The outputs of a mock-loop step that are posted in the thread the reply or command came from. */
export type LoopThreadOutput = Exclude<LoopOutput, { kind: "grading" | "round-opened" | "debrief" }>;

export interface LoopThreadContext {
  /** Who replied (the loop's candidate). */
  userId: string;
  /** What the code extractor found in the reply, to say precisely why no code could run. */
  extraction?: ExtractionResult;
}

export const FOLLOW_UP_PENDING_TEXT = "Answer the follow-up in this thread, or type `next` to move on.";
export const MOVE_ON_TEXT = "Type `next` when you're ready to move on.";

/** A message's blocks with a loop hint underneath, within Slack's 50-block limit. */
function withFooter(blocks: readonly KnownBlock[], footer: string): KnownBlock[] {
  const context: KnownBlock = { type: "context", elements: [{ type: "mrkdwn", text: footer }] };
  return [...blocks.slice(0, 49), context];
}

function notCurrentText(output: Extract<LoopOutput, { kind: "not-current" }>): string {
  switch (output.reason) {
    case "completed":
      return "This mock onsite is over — its debrief is in our DM and in `/interview loops`. `/interview loop` starts a new one.";
    case "abandoned":
      return "This mock onsite was ended. `/interview loops` lists it; `/interview loop` starts a new one.";
    case "round-over": {
      const title = output.current?.title ?? "the next round";
      return output.current?.open
        ? `This round is over. The loop goes on in the *${escapeMrkdwn(title)}* thread.`
        : `This round is over. Next up: *${escapeMrkdwn(title)}* — \`/interview loop\` shows when.`;
    }
  }
}

/** The thread message for one output of a mock-loop step. */
export function loopThreadMessage(output: LoopThreadOutput, ctx: LoopThreadContext): { text: string; blocks?: KnownBlock[] } {
  switch (output.kind) {
    case "critique": {
      const message = answerOutcomeMessage(output.outcome, { userId: ctx.userId, roundTitle: output.roundTitle, threadTs: output.threadTs, audience: "dm", extraction: ctx.extraction });
      if (output.outcome.kind !== "graded") return message;
      return { text: message.text, blocks: withFooter(message.blocks ?? [], output.followUpPending ? FOLLOW_UP_PENDING_TEXT : QUESTION_DONE_TEXT) };
    }
    case "hint": {
      const cap = output.cap ? `\n_In this loop, ${escapeMrkdwn(output.cap.dimensionTitle)} is now capped at ${output.cap.cap}/4 on this question._` : "";
      return { text: `:bulb: Hint ${output.index}/${output.total}: ${escapeMrkdwn(output.text)}${cap}` };
    }
    case "no-more-hints":
      return { text: `That was the last hint (${output.total} in all). Give it your best shot — a partial answer still gets useful feedback.` };
    case "model-answer": {
      const message = modelAnswerBlocks(output.answer);
      return { text: message.text, blocks: withFooter(message.blocks, MOVE_ON_TEXT) };
    }
    case "answer-first":
      return { text: ANSWER_FIRST_TEXT };
    case "after-model-answer":
      return { text: AFTER_MODEL_ANSWER_TEXT };
    case "question-done":
      return { text: QUESTION_DONE_TEXT };
    case "next-question":
      return loopQuestionMessage(output.round, output.question, output.questionIndex, output.questionCount);
    case "round-ended":
      return { text: loopRoundEndedText(output.round, output.next && { round: output.next.round, at: output.next.dueAt, tz: output.next.tz }) };
    case "loop-ended":
      return { text: output.answered ? LOOP_ENDED_WITH_DEBRIEF : LOOP_ENDED_UNANSWERED };
    case "not-current":
      return { text: notCurrentText(output) };
    case "failed":
      return { text: mrkdwn`${mention(output.userId)} Sorry — something went wrong on our side. Your message is still here; reply again in a minute.` };
  }
}
