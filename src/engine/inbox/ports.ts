import type { InboxEntry } from "./records.js";

/**
 * Replies received but not yet fully handled (graded and answered). The embedded implementation keeps
 * one file per entry under DATA_DIR; a database implementation keeps rows. Every method is durable when
 * its promise resolves, and idempotent.
 */
export interface Inbox {
  /**
   * Stores `entry` unless a reply with its id is already pending or was handled: `accepted` is false
   * for those (a redelivery or a retry). Rejects when the entry could not be stored durably; nothing
   * of it is kept then.
   */
  accept(entry: InboxEntry): Promise<{ accepted: boolean }>;
  /** Every entry accepted and not completed, oldest first. */
  pending(): Promise<InboxEntry[]>;
  /** One entry accepted and not completed; undefined once completed (or never accepted). */
  pendingEntry(id: string): Promise<InboxEntry | undefined>;
  /** Marks the entry handled (remembered as such) and drops it from the pending entries. */
  complete(id: string): Promise<void>;
  /** Releases files or connections once nothing more is written. */
  close(): Promise<void>;
}

/**
 * Ids of messages already handled, kept across restarts so a message delivered again (a platform retry
 * after a crash) is recognised. `claim` is atomic: of two claims of one id, exactly one wins.
 */
export interface HandledEvents {
  /** Records `id` as handled; false when it already was. */
  claim(id: string, at?: Date): Promise<boolean>;
  has(id: string): Promise<boolean>;
  /** Forgets ids handled before `before` (platform retries stop long before); returns how many. */
  prune(before: Date): Promise<number>;
}
