import type { KnownBlock } from "@slack/types";
import type { WebClient } from "@slack/web-api";
import { tokenOf } from "../tagged-messages.js";

/** Metadata event type on every message posted in answer to a reply; its payload carries a token. */
export const REPLY_METADATA_EVENT = "interview_reply_outcome";

export interface ThreadMessage {
  text: string;
  blocks?: KnownBlock[];
}

/**
 * Posts the messages that answer one reply, in its thread, each tagged with a token derived from the
 * reply's inbox id and its position (`<id>#1`, `<id>#2`…). When the reply may have been handled before
 * (recovery after a crash, a retry), the thread is read once and a message whose token is already
 * there is not posted again — so a crash never doubles a critique.
 */
export class ThreadPoster {
  private sequence = 0;
  private alreadyPosted?: Promise<Set<string>>;

  constructor(
    private readonly client: WebClient,
    private readonly channel: string,
    private readonly threadTs: string,
    private readonly replyId: string,
    private readonly mayBeDone: boolean,
    /** Once aborted (the app stopped before this reply was finished) nothing more is posted. */
    private readonly signal?: AbortSignal,
  ) {}

  /** Posts `message` unless this reply's message at this position is already in the thread. */
  async post(message: ThreadMessage): Promise<void> {
    this.signal?.throwIfAborted();
    this.sequence += 1;
    const token = `${this.replyId}#${this.sequence}`;
    if (this.mayBeDone && (await this.posted()).has(token)) return;
    await this.client.chat.postMessage({
      channel: this.channel,
      thread_ts: this.threadTs,
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks } : {}),
      unfurl_links: false,
      metadata: { event_type: REPLY_METADATA_EVENT, event_payload: { token } },
    });
  }

  /** Tokens of our messages already in the thread (read once, newest pages included). */
  private posted(): Promise<Set<string>> {
    this.alreadyPosted ??= findTokens(this.client, this.channel, this.threadTs);
    return this.alreadyPosted;
  }
}

async function findTokens(client: WebClient, channel: string, threadTs: string): Promise<Set<string>> {
  const tokens = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const res = await client.conversations.replies({ channel, ts: threadTs, include_all_metadata: true, limit: 200, cursor });
    for (const m of res.messages ?? []) {
      const token = tokenOf(m, REPLY_METADATA_EVENT);
      if (token) tokens.add(token);
    }
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!res.has_more || !cursor) break;
  }
  return tokens;
}
