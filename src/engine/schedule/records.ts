import { z } from "zod";

/** Who receives a scheduled question: a person (by DM) or a channel. */
export const subscriberKindSchema = z.enum(["user", "channel"]);
export type SubscriberKind = z.infer<typeof subscriberKindSchema>;

export interface SubscriberKey {
  kind: SubscriberKind;
  /** A Slack user id for "user", a channel id for "channel" (the engine treats both as opaque). */
  id: string;
}

export function subscriberKeyString(key: SubscriberKey): string {
  return `${key.kind}:${key.id}`;
}

export const timeOfDaySchema = z.object({
  hour: z.number().int().min(0).max(23),
  minute: z.number().int().min(0).max(59),
});

export const subscriptionSchema = z.object({
  time: timeOfDaySchema,
  /** Cron weekdays, 0 = Sunday. */
  days: z.array(z.number().int().min(0).max(6)).min(1),
  /** Round ids; empty means every round. */
  rounds: z.array(z.string()),
  /** Who created it: for a channel, the only non-admin allowed to change it. */
  ownerId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  /** Slots before this instant never count as missed (a 9:00 schedule set at 10:00 starts tomorrow). */
  effectiveFrom: z.string(),
  /** Slots before this instant are skipped (`/interview pause <n> days`). */
  pausedUntil: z.string().optional(),
  /** Set when delivery found the recipient gone (left, deactivated, DM closed); cleared by re-subscribing. */
  suspended: z.object({ code: z.string(), at: z.string() }).optional(),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

/**
 * One delivery attempt per (subscriber, slot). Written as "sending" BEFORE the message is posted,
 * so after a crash we know a post may exist and look for it instead of posting blindly.
 *   sending → posted (Slack returned channel + ts) → sent (thread recorded, answers recognised)
 *   sending → skipped (slot's day is over, or the recipient is gone)
 */
export const ledgerEntrySchema = z.object({
  /** Local date and subscription time in the subscriber's zone, e.g. "2025-03-10T09:00". */
  slot: z.string(),
  dueAt: z.string(),
  tz: z.string(),
  state: z.enum(["sending", "posted", "sent", "skipped"]),
  /** Unique per slot; travels in the message metadata so a crashed post can be found again. */
  token: z.string(),
  questionId: z.string(),
  roundId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  channel: z.string().optional(),
  ts: z.string().optional(),
  reason: z.string().optional(),
  /**
   * The scheduler instance working on this slot and until when (several instances on one database):
   * another instance leaves an unfinished entry alone while the lease lives, and takes it over, looking
   * for the post by its token first, once it has run out (the owner died or hung).
   */
  owner: z.string().optional(),
  leaseUntil: z.string().optional(),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

/** Something another feature (the mock-loop debrief) wants this person to practise next. */
export const focusItemSchema = z.object({
  roundId: z.string(),
  /** A rubric dimension id of that round; absent means the round as a whole. */
  dimensionId: z.string().optional(),
  source: z.string(),
  addedAt: z.string(),
  /** How many scheduled questions have served this item; it retires after FOCUS_SERVINGS. */
  served: z.number().int().min(0).default(0),
});
export type FocusItem = z.infer<typeof focusItemSchema>;

export const subscriberDocSchema = z.object({
  version: z.literal(1),
  kind: subscriberKindSchema,
  id: z.string(),
  subscription: subscriptionSchema.optional(),
  /** Last known IANA zone: the person's own, or a channel owner's. */
  tz: z.string().optional(),
  /** Cached DM channel with this person, so daily fan-outs need no conversations.open. */
  dmChannel: z.string().optional(),
  focus: z.array(focusItemSchema).default([]),
  /** Questions posted to this subscriber by the schedule (channels have no per-user history). */
  asked: z.array(z.object({ questionId: z.string(), at: z.string() })).default([]),
  ledger: z.array(ledgerEntrySchema).default([]),
});
export type SubscriberDoc = z.infer<typeof subscriberDocSchema>;
