import { z } from "zod";

/**
 * A reply as received, stored before the chat platform is told it arrived. Its `id` is fixed by where
 * the message is (conversation + message ts), so the same message delivered twice is one entry; the
 * id is also the answer's id and the token that finds an outcome already posted for it.
 */
export const inboxEntrySchema = z.object({
  version: z.literal(1),
  id: z.string().min(1),
  /** Conversation and ts of the reply itself. */
  channel: z.string().min(1),
  ts: z.string().min(1),
  /** The question's thread the reply was posted in. */
  threadTs: z.string().min(1),
  userId: z.string().min(1),
  /** The reply as plain text (platform markup undone). */
  text: z.string(),
  code: z.object({ language: z.enum(["python", "javascript"]), source: z.string() }).optional(),
  /** What the adapter found when it looked for code (kept so an outcome can say why there was none). */
  extraction: z.record(z.string(), z.unknown()).optional(),
  receivedAt: z.string(),
});
export type InboxEntry = z.infer<typeof inboxEntrySchema>;

/** The id of the reply at (`channel`, `ts`): stable across deliveries, retries and restarts. */
export function inboxId(channel: string, ts: string): string {
  return `${channel}-${ts}`;
}
