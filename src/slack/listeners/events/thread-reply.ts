import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { inboxId, type InboxEntry } from "../../../engine/inbox/records.js";
import { replyQueueFor } from "../../../engine/inbox/reply-jobs.js";
import { mention, mrkdwn } from "../../blocks/text.js";
import type { SlackDeps } from "../../deps.js";
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

/** The inbox entry for a reply: which workspace, who, where, the text and the code found in it. */
export function inboxEntryFor(reply: ThreadReply, now = new Date(), workspace = ""): InboxEntry {
  const { code, extraction } = codeFromMessage(reply);
  return {
    version: 1,
    id: inboxId(reply.channel, reply.ts, workspace),
    ...(workspace ? { workspace } : {}),
    channel: reply.channel,
    ts: reply.ts,
    threadTs: reply.thread_ts,
    userId: reply.user,
    text: slackTextToPlain(reply.text ?? ""),
    code,
    extraction,
    receivedAt: now.toISOString(),
  };
}

/**
 * A reply in a question's thread is stored in the inbox and its grading job is sent before Slack gets
 * its acknowledgement (the app holds the ack of `message` events until this listener returns); grading
 * and posting happen afterwards, in a worker (this process by default). A redelivered message (Slack's retries, before or after a restart) is
 * recognised by the inbox and not handled again.
 */
export async function threadReplyCallback(
  deps: SlackDeps,
  { event, client, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<"message">,
): Promise<void> {
  const reply = asThreadReply(event as unknown as Record<string, unknown>);
  if (!reply) return;
  const thread = await deps.interview.thread({ channel: reply.channel, ts: reply.thread_ts });
  if (!thread) return;
  // A mock onsite is one person's; others' replies in its thread are not part of it.
  if (thread.origin === "loop" && reply.user !== thread.askedBy) return;
  // A DM question is its owner's: anyone else in the conversation (a group DM) is not answering it.
  if (thread.audience === "dm" && reply.user !== thread.askedBy) return;
  const entry = inboxEntryFor(reply, new Date(), deps.workspace);
  let accepted: boolean;
  try {
    ({ accepted } = await deps.inbox.accept(entry));
  } catch (error) {
    logger.error(`could not store the reply ${entry.id} from ${reply.user}: ${(error as Error).message}`);
    // Nothing was kept, and the person is told so (without holding up the ack).
    void client.chat
      .postMessage({
        channel: reply.channel,
        thread_ts: reply.thread_ts,
        text: mrkdwn`${mention(reply.user)} Sorry — I couldn't save that answer because of a storage problem on our side, so it was *not* recorded. Please send it again in a few minutes.`,
      })
      .catch(() => undefined);
    return;
  }
  if (!accepted) return;
  try {
    await deps.replies.send(entry, replyQueueFor(deps.interview.bank, thread.questionId));
  } catch (error) {
    // The reply is stored: a worker's recovery sweep sends its job. Slack is acknowledged either way.
    logger.error(`could not queue the reply ${entry.id} for grading (recovery will): ${(error as Error).message}`);
  }
}
