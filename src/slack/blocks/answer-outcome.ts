import type { KnownBlock } from "@slack/types";
import type { AnswerOutcome } from "../../engine/interview/service.js";
import { codeRunBlocks } from "./code-run.js";
import { critiqueBlocks } from "./critique.js";
import { escapeMrkdwn, mention, mrkdwn } from "./text.js";
import type { ExtractionResult } from "../../engine/judge/index.js";

export interface OutcomeContext {
  userId: string;
  roundTitle: string;
  threadTs: string;
  audience: "dm" | "channel";
  /** What the code extractor found in the reply, to say precisely why no code could run. */
  extraction?: ExtractionResult;
}

function whyNoCode(extraction: ExtractionResult | undefined): string {
  switch (extraction?.kind) {
    case "unsupported_language":
      return mrkdwn`I can run Python 3 and JavaScript, not ${extraction.language}. `;
    case "unknown_language":
      return "I found code but couldn't tell its language: tag the block with ```python or ```js. ";
    case "no_code":
      return extraction.looksLikeCode ? "That looks like code, but it isn't in a code block. " : "";
    default:
      return "";
  }
}

/** The thread reply for any answer outcome: the critique, or a clear request for what is missing. */
export function answerOutcomeMessage(outcome: AnswerOutcome, ctx: OutcomeContext): { text: string; blocks?: KnownBlock[] } {
  // In a channel several people answer in one thread, so say whose critique this is.
  const who = ctx.audience === "channel" ? mrkdwn`${mention(ctx.userId)} ` : "";
  switch (outcome.kind) {
    case "empty":
      return { text: `${who}I didn't find an answer in that message — reply in this thread with your answer as text.` };
    case "too-long":
      return {
        text:
          `${who}That answer is ${outcome.length.toLocaleString("en-US")} characters; the limit is ${outcome.limit.toLocaleString("en-US")}. ` +
          "Nothing was graded or saved — your message is still in the thread. Trim it to what you would say in the interview and reply again.",
      };
    case "needs-code": {
      const sig = outcome.question.coding?.signatures;
      return {
        text:
          `${who}${whyNoCode(ctx.extraction)}This is a coding question, so I need code to run. Reply with a code block:\n` +
          "```python\n" + escapeMrkdwn(sig?.python ?? "") + ":\n    ...\n```" +
          "\nor\n```js\n" + escapeMrkdwn(sig?.javascript ?? "") + " {\n  ...\n}\n```",
      };
    }
    case "closed":
      return { text: `${who}This question is closed. Ask for a new one with \`/interview ask\`.` };
    case "graded": {
      const critique = critiqueBlocks({
        critique: outcome.critique,
        roundTitle: ctx.roundTitle,
        nextFollowUp: outcome.nextFollowUp,
        threadTs: ctx.threadTs,
        followUpAnswered: outcome.answer.followUp,
      });
      const blocks: KnownBlock[] = [];
      if (who) blocks.push({ type: "section", text: { type: "mrkdwn", text: `Critique for ${who.trim()}` } });
      if (outcome.codeRun) blocks.push(...codeRunBlocks(outcome.codeRun));
      if (outcome.codeExecutionOff) {
        blocks.push({
          type: "context",
          elements: [{ type: "mrkdwn", text: `:no_entry: Code execution is off here (${escapeMrkdwn(outcome.codeExecutionOff)}), so your code was reviewed but not run.` }],
        });
      }
      blocks.push(...critique.blocks);
      // Slack allows 50 blocks per message.
      return { text: `${who}${critique.text}`, blocks: blocks.slice(0, 50) };
    }
  }
}
