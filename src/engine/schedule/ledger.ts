import type { LedgerEntry, SubscriberDoc } from "./records.js";

/** Finished entries older than this are dropped; a slot older than a day can never be sent again anyway. */
const KEEP_DAYS = 14;

export function ledgerEntry(doc: SubscriberDoc, slotKey: string): LedgerEntry | undefined {
  return doc.ledger.find((e) => e.slot === slotKey);
}

/** Whether this slot is settled for good (delivered, or deliberately not). */
export function isFinal(entry: LedgerEntry | undefined): boolean {
  return entry?.state === "sent" || entry?.state === "skipped";
}

/** Entries a crash may have left half-done. */
export function unfinished(doc: SubscriberDoc): LedgerEntry[] {
  return doc.ledger.filter((e) => e.state === "sending" || e.state === "posted");
}

/** Keeps the ledger small: unfinished entries always stay, finished ones for KEEP_DAYS. */
export function pruneLedger(doc: SubscriberDoc, now: Date): void {
  const cutoff = now.getTime() - KEEP_DAYS * 86_400_000;
  doc.ledger = doc.ledger.filter((e) => !isFinal(e) || new Date(e.dueAt).getTime() >= cutoff);
}

/** The round of the last question delivered, for interleaving rounds. */
export function lastDeliveredRound(doc: SubscriberDoc): string | undefined {
  for (let i = doc.ledger.length - 1; i >= 0; i--) if (doc.ledger[i]!.state === "sent") return doc.ledger[i]!.roundId;
  return undefined;
}
