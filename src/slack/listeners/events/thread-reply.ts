import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { AnswerOutcome } from "../../../engine/interview/service.js";
import { answerOutcomeMessage } from "../../blocks/answer-outcome.js";
import { mention, mrkdwn } from "../../blocks/text.js";
import { react } from "../../conversations.js";
import type { SlackDeps } from "../../deps.js";
import { loopThreadReply } from "../../loop/thread-reply.js";
import { codeFromMessage } from "../../message-code.js";
import { slackTextToPlain } from "../../message-text.js";

/** The fields of a `message` event this listener relies on. */
export interface ThreadReply {
  channel: string;
  ts: string;
  thread_ts: string;
  user: string;
  text?: string;
  blocks?: unknown[];
}

/** A person's reply in a thread: not an edit, not a bot, not the thread's parent message. */
export function asThreadReply(event: Record<string, unknown>): ThreadReply | undefined {
  const subtype = event.subtype as string | undefined;
  if (subtype !== undefined && subtype !== "thread_broadcast" && subtype !== "file_share") return undefined;
  if (event.bot_id || event.bot_profile) return undefined;
  const { channel, ts, thread_ts, user } = event;
  if (typeof channel !== "string" || typeof ts !== "string" || typeof user !== "string") return undefined;
  if (typeof thread_ts !== "string" || thread_ts === ts) return undefined;
  return event as unknown as ThreadReply;
}

/** Grades a reply in a question's thread and posts the critique (or what is missing) in the same thread. */
export async function threadReplyCallback(
  deps: SlackDeps,
  { event, client, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<"message">,
): Promise<void> {
  const reply = asThreadReply(event as unknown as Record<string, unknown>);
  if (!reply || !deps.seenReplies.firstTime(`${reply.channel}:${reply.ts}`)) return;
  const thread = await deps.interview.thread({ channel: reply.channel, ts: reply.thread_ts });
  if (!thread) return;
  // Mock-loop threads take commands (hint, next, skip, end, model answer) before answers.
  if (thread.origin === "loop") return loopThreadReply(deps.loop, thread, reply, client, logger);
  // A DM question is its owner's: anyone else in the conversation (a group DM) is not answering it.
  if (thread.audience === "dm" && reply.user !== thread.askedBy) return;
  // Acknowledge receipt at once: grading may take a while.
  await react(client, reply.channel, reply.ts, "eyes");
  const text = slackTextToPlain(reply.text ?? "");
  let outcome: AnswerOutcome;
  const { code, extraction } = codeFromMessage(reply);
  try {
    outcome = await deps.interview.answer({ thread, userId: reply.user, text, code });
  } catch (error) {
    logger.error(`grading ${thread.questionId} for ${reply.user} failed: ${(error as Error).message}`);
    await client.chat.postMessage({
      channel: reply.channel,
      thread_ts: reply.thread_ts,
      text: mrkdwn`${mention(reply.user)} Sorry — I couldn't grade that answer because of an error on our side. Your message is still here; reply again in a minute and I'll grade it.`,
    });
    return;
  }
  const round = deps.interview.bank.round(thread.roundId);
  const message = answerOutcomeMessage(outcome, { userId: reply.user, roundTitle: round.title, threadTs: reply.thread_ts, audience: thread.audience, extraction });
  await client.chat.postMessage({ channel: reply.channel, thread_ts: reply.thread_ts, unfurl_links: false, ...message });
  if (outcome.kind === "graded") await react(client, reply.channel, reply.ts, "white_check_mark");
}
