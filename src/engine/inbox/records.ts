import { z } from "zod";

/**
 * A reply as received, stored before the chat platform is told it arrived. Its `id` is fixed by where
 * the message is (conversation + message ts), so the same message delivered twice is one entry; the
 * id is also the answer's id and the token that finds an outcome already posted for it.
 */
export const inboxEntrySchema = z.object({
  version: z.literal(1),
  id: z.string().min(1),
  /** The workspace the reply came from (its storage key); absent = the single-workspace root (older entries). */
  workspace: z.string().min(1).optional(),
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

/**
 * The id of the reply at (`channel`, `ts`) in `workspace`: stable across deliveries, retries and restarts.
 * The workspace is part of it because one shared channel carries the same message to several workspaces.
 * The root workspace keeps the ids it always had.
 */
export function inboxId(channel: string, ts: string, workspace = ""): string {
  return workspace ? `${workspace}-${channel}-${ts}` : `${channel}-${ts}`;
}
