import type { FocusItem, SubscriberDoc } from "./records.js";

/** A focus item retires after serving this many scheduled questions, or after FOCUS_DAYS. */
export const FOCUS_SERVINGS = 3;
export const FOCUS_DAYS = 21;

/** What another feature asks to be practised next: a round, optionally one of its rubric dimensions. */
export interface FocusRequest {
  roundId: string;
  dimensionId?: string;
}

export function activeFocus(doc: SubscriberDoc, now: Date): FocusItem[] {
  const cutoff = now.getTime() - FOCUS_DAYS * 86_400_000;
  return doc.focus.filter((f) => f.served < FOCUS_SERVINGS && new Date(f.addedAt).getTime() >= cutoff);
}

/** Adds (or refreshes) focus items; the newest request for the same round/dimension wins. */
export function addFocus(doc: SubscriberDoc, items: readonly FocusRequest[], source: string, now: Date): void {
  const kept = activeFocus(doc, now).filter(
    (f) => !items.some((i) => i.roundId === f.roundId && i.dimensionId === f.dimensionId),
  );
  doc.focus = [
    ...kept,
    ...items.map((i) => ({ roundId: i.roundId, dimensionId: i.dimensionId, source, addedAt: now.toISOString(), served: 0 })),
  ];
}

/** Counts a delivered question against the focus items it served. */
export function markFocusServed(doc: SubscriberDoc, roundId: string, dimensions: readonly string[], now: Date): void {
  for (const f of doc.focus) {
    if (f.roundId === roundId && (f.dimensionId === undefined || dimensions.includes(f.dimensionId))) f.served += 1;
  }
  doc.focus = activeFocus(doc, now);
}
