import { promptAsAsked } from "../../engine/content/question-text.js";
import type { KnownBlock } from "@slack/types";
import type { Question, Round } from "../../engine/content/schema.js";
import { ACTION_IDS } from "./action-ids.js";
import { escapeMrkdwn, fallbackText, SECTION_LIMIT, truncate } from "./text.js";

export interface QuestionMessage {
  text: string;
  blocks: KnownBlock[];
}

/** The question as posted: round, prompt, how to answer, and Hint / Skip buttons. */
export function questionMessage(round: Round, question: Question, options: { intro?: string } = {}): QuestionMessage {
  const minutes = question.timeGuideMinutes ?? round.timeGuideMinutes;
  const codeNote = question.coding
    ? `\n\nReply in this thread with a code block (\`\`\`python or \`\`\`js). Signatures:\n\`${escapeMrkdwn(question.coding.signatures.python)}\`\n\`${escapeMrkdwn(question.coding.signatures.javascript)}\``
    : "\n\nReply in this thread with your answer — as you would say it to the interviewer.";
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: truncate(`${round.title} question`, 150), emoji: true } },
  ];
  if (options.intro) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: escapeMrkdwn(options.intro) }] });
  blocks.push(
    {
      type: "section",
      text: { type: "mrkdwn", text: truncate(escapeMrkdwn(promptAsAsked(question, "standalone")) + codeNote, SECTION_LIMIT) },
    },
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `${escapeMrkdwn(question.difficulty)} · about ${minutes} min · \`${escapeMrkdwn(question.id)}\``,
        },
      ],
    },
    {
      type: "actions",
      elements: [
        { type: "button", action_id: ACTION_IDS.hint, text: { type: "plain_text", text: "Hint" }, value: question.id },
        { type: "button", action_id: ACTION_IDS.skip, text: { type: "plain_text", text: "Skip" }, value: question.id },
      ],
    },
  );
  return { text: `${escapeMrkdwn(round.title)}: ${fallbackText(promptAsAsked(question, "standalone"), 300)}`, blocks };
}
