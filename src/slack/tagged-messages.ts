import type { WebClient } from "@slack/web-api";

/**
 * Our messages carry a token in their metadata (`event_type` names the feature, `event_payload.token` the
 * message), so a step repeated after a crash or a retry can find what it already posted instead of posting
 * it twice. These read the token back.
 */
interface TaggedMessage {
  ts?: string;
  metadata?: unknown;
}

/** The token of one of our messages of `eventType`, or undefined for any other message. */
export function tokenOf(message: TaggedMessage, eventType: string): string | undefined {
  const metadata = message.metadata as { event_type?: string; event_payload?: { token?: unknown } } | undefined;
  return metadata?.event_type === eventType && typeof metadata.event_payload?.token === "string" ? metadata.event_payload.token : undefined;
}

/** The ts of our message of `eventType` with `token` in `channel` since `since`, reading at most `maxPages` pages of history. */
export async function findTaggedMessage(
  client: WebClient,
  query: { channel: string; eventType: string; token: string; since: Date; maxPages?: number; pageSize?: number },
): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < (query.maxPages ?? 10); page++) {
    const res = await client.conversations.history({
      channel: query.channel,
      oldest: (query.since.getTime() / 1000).toFixed(6),
      include_all_metadata: true,
      limit: query.pageSize ?? 200,
      cursor,
    });
    const found = (res.messages ?? []).find((m) => m.ts && tokenOf(m, query.eventType) === query.token);
    if (found) return found.ts;
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!res.has_more || !cursor) break;
  }
  return undefined;
}
