import type { KnownBlock } from "@slack/types";
import type { WebClient } from "@slack/web-api";
import type { ThreadKey } from "../../engine/store/records.js";
import { findTaggedMessage } from "../tagged-messages.js";

/** Metadata event type on a loop's own messages in its DM (a round's opening message, the debrief). */
export const LOOP_METADATA_EVENT = "interview_loop_message";

/** How far back to look for one of the loop's messages: its conversation since the loop started. */
const MAX_PAGES = 10;

/**
 * Posts one of a loop's messages in its conversation, tagged with `token`, unless a message with that
 * token is already there: a round (or a debrief) posted just before a crash, whose posting was not yet
 * recorded, is found and reused when the step runs again instead of being posted twice. When the
 * conversation cannot be read, the message is posted (a duplicate after a crash beats a lost round).
 */
export async function postOnceInConversation(
  client: WebClient,
  message: { channel: string; text: string; blocks: KnownBlock[]; token: string; since: Date },
): Promise<ThreadKey> {
  const found = await findTaggedMessage(client, {
    channel: message.channel,
    eventType: LOOP_METADATA_EVENT,
    token: message.token,
    since: message.since,
    maxPages: MAX_PAGES,
  }).catch(() => undefined);
  if (found) return { channel: message.channel, ts: found };
  const posted = await client.chat.postMessage({
    channel: message.channel,
    text: message.text,
    blocks: message.blocks,
    unfurl_links: false,
    metadata: { event_type: LOOP_METADATA_EVENT, event_payload: { token: message.token } },
  });
  if (!posted.ts || !posted.channel) throw new Error("chat.postMessage returned no ts");
  return { channel: posted.channel, ts: posted.ts };
}
