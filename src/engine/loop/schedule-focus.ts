import { addFocus } from "../schedule/focus.js";
import type { ScheduleStore } from "../schedule/schedule-store.js";
import type { FocusSink } from "./service.js";

/**
 * Focus items written straight into a person's schedule document, for processes that run no
 * DailyScheduler (the practice console). Where a scheduler runs, pass it instead: it owns those files.
 */
export function scheduleStoreFocus(store: ScheduleStore, now: () => Date = () => new Date()): FocusSink {
  return {
    async addFocus(userId, items, source) {
      // An atomic update: a scheduler in another process may be writing the same document's ledger.
      await store.update({ kind: "user", id: userId }, (draft) => addFocus(draft, items, source, now()));
    },
  };
}
