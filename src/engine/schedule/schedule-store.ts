import type { Doc, DocumentStore } from "../storage/documents.js";
import { safeSegment } from "../store/safe-path.js";
import { subscriberDocSchema, type SubscriberDoc, type SubscriberKey } from "./records.js";

const FOLDERS = { user: "schedule/users", channel: "schedule/channels" } as const;

/**
 * One document per subscriber at `schedule/{users,channels}/<id>.json` holding the subscription, its
 * delivery ledger and focus list. A delivery rewrites only that subscriber's document.
 */
export class ScheduleStore {
  constructor(private readonly docs: DocumentStore) {}

  private path(key: SubscriberKey): string {
    return `${FOLDERS[key.kind]}/${safeSegment(key.id)}.json`;
  }

  open(key: SubscriberKey): Promise<Doc<SubscriberDoc>> {
    return this.docs.open<SubscriberDoc>(this.path(key), subscriberDocSchema, () => ({
      version: 1,
      kind: key.kind,
      id: key.id,
      focus: [],
      asked: [],
      ledger: [],
    }));
  }

  /** Reads without creating a file for someone who never set anything up. */
  peek(key: SubscriberKey): Promise<SubscriberDoc | undefined> {
    return this.docs.peek(this.path(key), subscriberDocSchema);
  }

  /** Every subscriber document (start-up); a corrupt one throws StoreCorruptError naming it. */
  async all(): Promise<Doc<SubscriberDoc>[]> {
    const docs: Doc<SubscriberDoc>[] = [];
    for (const kind of ["user", "channel"] as const) {
      const folder = `${FOLDERS[kind]}/`;
      for (const path of await this.docs.list(folder)) {
        const name = path.slice(folder.length);
        if (!name.endsWith(".json") || name.startsWith(".") || name.includes("/")) continue;
        const id = decodeURIComponent(name.slice(0, -".json".length));
        docs.push(await this.open({ kind, id }));
      }
    }
    return docs;
  }
}

/** The schema of the schedule's documents by path, for DocumentStore.verify. */
export function scheduleSchemaFor(path: string) {
  return path.startsWith("schedule/") ? subscriberDocSchema : undefined;
}
