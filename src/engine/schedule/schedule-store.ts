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
    return this.docs.open<SubscriberDoc>(this.path(key), subscriberDocSchema, () => emptySubscriber(key));
  }

  /**
   * Changes one subscriber's document atomically with respect to every other change, in any process:
   * what the scheduler uses wherever another instance may be changing the same document.
   */
  async update<R>(key: SubscriberKey, change: (draft: SubscriberDoc) => R): Promise<{ data: SubscriberDoc; result: R }> {
    return this.docs.update(this.path(key), subscriberDocSchema, () => emptySubscriber(key), change);
  }

  /** Reads without creating a file for someone who never set anything up. */
  peek(key: SubscriberKey): Promise<SubscriberDoc | undefined> {
    return this.docs.peek(this.path(key), subscriberDocSchema);
  }

  /** Every subscriber document (start-up); a corrupt one throws StoreCorruptError naming it. */
  async all(): Promise<Doc<SubscriberDoc>[]> {
    const docs: Doc<SubscriberDoc>[] = [];
    for (const key of await this.keys()) docs.push(await this.open(key));
    return docs;
  }

  /** Every subscriber document as it is now, read only (start-up and the multi-instance refresh). */
  async snapshot(): Promise<SubscriberDoc[]> {
    const docs: SubscriberDoc[] = [];
    for (const key of await this.keys()) {
      const doc = await this.peek(key);
      if (doc) docs.push(doc);
    }
    return docs;
  }

  private async keys(): Promise<SubscriberKey[]> {
    const keys: SubscriberKey[] = [];
    for (const kind of ["user", "channel"] as const) {
      const folder = `${FOLDERS[kind]}/`;
      for (const path of await this.docs.list(folder)) {
        const name = path.slice(folder.length);
        if (!name.endsWith(".json") || name.startsWith(".") || name.includes("/")) continue;
        keys.push({ kind, id: decodeURIComponent(name.slice(0, -".json".length)) });
      }
    }
    return keys;
  }
}

function emptySubscriber(key: SubscriberKey): SubscriberDoc {
  return { version: 1, kind: key.kind, id: key.id, focus: [], asked: [], ledger: [] };
}

/** The schema of the schedule's documents by path, for DocumentStore.verify. */
export function scheduleSchemaFor(path: string) {
  return path.startsWith("schedule/") ? subscriberDocSchema : undefined;
}
