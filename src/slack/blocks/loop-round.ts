import type { KnownBlock } from "@slack/types";
import type { Question, Round } from "../../engine/content/schema.js";
import { formatLocal } from "../../engine/schedule/zones.js";
import { escapeMrkdwn, fallbackText, SECTION_LIMIT, truncate } from "./text.js";

export interface LoopRoundView {
  round: Round;
  /** 0-based position of the round in the loop, and how many rounds the loop has. */
  roundIndex: number;
  roundCount: number;
  questionCount: number;
  timeGuideMinutes: number;
}

export const LOOP_COMMANDS_HELP =
  "Reply in this thread to answer. Type `hint`, `next`, `skip`, `model answer` (after answering) or `end` as a reply of its own.";

function questionSection(round: Round, question: Question, index: number, total: number): KnownBlock {
  const minutes = question.timeGuideMinutes ?? round.timeGuideMinutes;
  const code = question.coding
    ? `\n\nAnswer with a code block (\`\`\`python or \`\`\`js). Signatures:\n\`${escapeMrkdwn(question.coding.signatures.python)}\`\n\`${escapeMrkdwn(question.coding.signatures.javascript)}\``
    : "";
  return {
    type: "section",
    text: {
      type: "mrkdwn",
      text: truncate(`*Question ${index + 1} of ${total}* · about ${minutes} min\n${escapeMrkdwn(question.prompt)}${code}`, SECTION_LIMIT),
    },
  };
}

/** The message that opens a round's thread: what the round probes, its time guide, and its first question. */
export function loopRoundMessage(view: LoopRoundView, question: Question): { text: string; blocks: KnownBlock[] } {
  const { round } = view;
  const heading = `Mock onsite · Round ${view.roundIndex + 1} of ${view.roundCount}: ${round.title}`;
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: truncate(heading, 150), emoji: true } },
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: truncate(
            // `round.probes` is the interviewer's brief, never shown to the candidate.
            `*Time guide:* about ${view.timeGuideMinutes} min for ${view.questionCount} question${view.questionCount > 1 ? "s" : ""} with follow-ups`,
            SECTION_LIMIT,
          ),
        },
      ],
    },
    questionSection(round, question, 0, view.questionCount),
    { type: "context", elements: [{ type: "mrkdwn", text: LOOP_COMMANDS_HELP }] },
  ];
  return { text: `${escapeMrkdwn(heading)} — question 1: ${fallbackText(question.prompt, 200)}`, blocks };
}

/** The round's next question, posted in the round's thread. */
export function loopQuestionMessage(round: Round, question: Question, index: number, total: number): { text: string; blocks: KnownBlock[] } {
  return {
    text: `Question ${index + 1} of ${total}: ${fallbackText(question.prompt, 200)}`,
    blocks: [questionSection(round, question, index, total), { type: "context", elements: [{ type: "mrkdwn", text: LOOP_COMMANDS_HELP }] }],
  };
}

/** Posted in a round's thread when it ends: where the loop goes next. */
export function loopRoundEndedText(
  round: Round,
  next: { round: Round; at?: Date; tz?: string } | undefined,
): string {
  const done = `That's the end of the *${escapeMrkdwn(round.title)}* round.`;
  if (!next) return `${done} The debrief follows.`;
  if (next.at && next.tz) {
    return `${done} Next: *${escapeMrkdwn(next.round.title)}*, ${escapeMrkdwn(formatLocal(next.at, next.tz))}. Want it sooner? \`/interview loop next\`.`;
  }
  return `${done} Next: *${escapeMrkdwn(next.round.title)}* — a new thread below.`;
}

/** After the last probe on a question: what the candidate can do now. */
export const QUESTION_DONE_TEXT =
  "That's all the follow-ups on this question. Type `next` to move on, or `model answer` to compare with a strong answer first.";

/** `end` in a loop thread, before any answer was graded: nothing to debrief. */
export const LOOP_ENDED_UNANSWERED =
  "Mock onsite ended before any answer, so there is nothing to debrief. Start again whenever you like with `/interview loop` (`/interview loop daily` for a round a day).";

/** `end` after at least one graded answer: the partial debrief is posted next. */
export const LOOP_ENDED_WITH_DEBRIEF =
  "Mock onsite ended — recorded as abandoned. Your debrief of the rounds you sat follows; `/interview loop` starts a new one whenever you like.";

export const AFTER_MODEL_ANSWER_TEXT =
  "You've seen the model answer for this question, so further replies to it aren't graded. Type `next` to move on.";
