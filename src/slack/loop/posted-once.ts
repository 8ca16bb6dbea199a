import type { KnownBlock } from "@slack/types";
import type { WebClient } from "@slack/web-api";
import type { ThreadKey } from "../../engine/store/records.js";

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
  const found = await findPosted(client, message.channel, message.token, message.since).catch(() => undefined);
  if (found) return found;
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

async function findPosted(client: WebClient, channel: string, token: string, since: Date): Promise<ThreadKey | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await client.conversations.history({ channel, oldest: (since.getTime() / 1000).toFixed(6), include_all_metadata: true, limit: 200, cursor });
    for (const m of res.messages ?? []) {
      const metadata = m.metadata as { event_type?: string; event_payload?: { token?: unknown } } | undefined;
      if (metadata?.event_type === LOOP_METADATA_EVENT && metadata.event_payload?.token === token && m.ts) return { channel, ts: m.ts };
    }
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!res.has_more || !cursor) break;
  }
  return undefined;
}
