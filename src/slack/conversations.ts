import type { WebClient } from "@slack/web-api";

/** DM channel with the bot for `userId` (opened if needed). */
export async function openDm(client: WebClient, userId: string): Promise<string> {
  const res = await client.conversations.open({ users: userId });
  const id = res.channel?.id;
  if (!id) throw new Error("conversations.open returned no channel");
  return id;
}

/** Slack Web API error code (`not_in_channel`, `channel_not_found`…), if the error carries one. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === "string" ? data.error : undefined;
}

/** Adds a reaction, ignoring failures (already reacted, message gone): it is only a receipt. */
export async function react(client: WebClient, channel: string, ts: string, name: string): Promise<void> {
  await client.reactions.add({ channel, timestamp: ts, name }).catch(() => undefined);
}
