import type { WebClient } from "@slack/web-api";
import type { QuestionRef } from "../engine/content/bank.js";
import type { InterviewService } from "../engine/interview/service.js";
import type { ThreadRecord } from "../engine/store/records.js";
import { questionMessage } from "./blocks/question.js";

/** Posts a question and records its thread, so replies there are graded. Shared by /interview ask and schedules. */
export async function postQuestion(
  client: WebClient,
  interview: InterviewService,
  input: {
    channel: string;
    ref: QuestionRef;
    askedBy: string;
    audience: "dm" | "channel";
    origin: ThreadRecord["origin"];
    intro?: string;
    loopId?: string;
  },
): Promise<ThreadRecord> {
  const message = questionMessage(input.ref.round, input.ref.question, { intro: input.intro });
  const posted = await client.chat.postMessage({ channel: input.channel, text: message.text, blocks: message.blocks, unfurl_links: false });
  if (!posted.ts || !posted.channel) throw new Error("chat.postMessage returned no ts");
  return interview.questionPosted({
    key: { channel: posted.channel, ts: posted.ts },
    ref: input.ref,
    askedBy: input.askedBy,
    audience: input.audience,
    origin: input.origin,
    loopId: input.loopId,
  });
}
