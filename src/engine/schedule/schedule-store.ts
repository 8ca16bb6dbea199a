import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { JsonDocs, type Doc } from "../store/json-doc.js";
import { subscriberDocSchema, type SubscriberDoc, type SubscriberKey } from "./records.js";

/** Same rule as the interview store: ids become file names only when they cannot escape the folder. */
function safeSegment(value: string): string {
  return /^[A-Za-z0-9._-]+$/.test(value) && !/^\.+$/.test(value) ? value : encodeURIComponent(value).replace(/\./g, "%2E");
}

const FOLDERS = { user: "schedule/users", channel: "schedule/channels" } as const;

/**
 * One lowdb document per subscriber under `DATA_DIR/schedule/{users,channels}/<id>.json` holding the
 * subscription, its delivery ledger and focus list. A delivery rewrites only that subscriber's file.
 */
export class ScheduleStore {
  private readonly docs: JsonDocs;

  /** `maxCached` is sized so a whole fan-out stays in memory (each document is a few kB). */
  constructor(
    readonly dataDir: string,
    maxCached = 50_000,
  ) {
    this.docs = new JsonDocs(dataDir, maxCached);
  }

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

  /** Every subscriber document on disk (start-up); a corrupt one throws StoreCorruptError naming it. */
  async all(): Promise<Doc<SubscriberDoc>[]> {
    const docs: Doc<SubscriberDoc>[] = [];
    for (const kind of ["user", "channel"] as const) {
      const names = await readdir(join(this.dataDir, FOLDERS[kind])).catch((e: NodeJS.ErrnoException) => {
        if (e.code === "ENOENT") return [] as string[];
        throw e;
      });
      for (const name of names) {
        if (!name.endsWith(".json") || name.startsWith(".")) continue;
        const id = decodeURIComponent(name.slice(0, -".json".length));
        docs.push(await this.open({ kind, id }));
      }
    }
    return docs;
  }
}
