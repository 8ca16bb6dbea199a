import type { Doc, DocumentStore } from "../storage/documents.js";
import { safeSegment } from "../store/safe-path.js";
import { loopDocSchema, loopIndexSchema, type LoopDoc, type LoopIndex, type LoopSummary } from "./records.js";

const ROOT = "loops";
const INDEX = "index.json";

/** The summary line `/interview loops` shows, derived from the loop itself so the two cannot drift. */
export function summarize(loop: LoopDoc): LoopSummary {
  return {
    id: loop.id,
    createdAt: loop.createdAt,
    status: loop.status,
    pacing: loop.pacing.kind,
    withHm: loop.withHm,
    rounds: loop.rounds.length,
    roundsDone: loop.rounds.filter((r) => r.status === "done").length,
    endedAt: loop.endedAt,
    nextRoundDueAt: loop.nextRoundDueAt,
    recommendation: loop.debrief?.recommendation.outcome,
  };
}

/**
 * Mock loops: one document per loop and one index per person. Loop ids are generated (never "index"),
 * so the index cannot collide with a loop document.
 */
export class LoopStore {
  constructor(private readonly docs: DocumentStore) {}

  private loopPath(userId: string, loopId: string): string {
    return `${ROOT}/${safeSegment(userId)}/${safeSegment(loopId)}.json`;
  }

  private indexPath(userId: string): string {
    return `${ROOT}/${safeSegment(userId)}/${INDEX}`;
  }

  index(userId: string): Promise<Doc<LoopIndex>> {
    return this.docs.open<LoopIndex>(this.indexPath(userId), loopIndexSchema, () => ({ version: 1, userId, loops: [] }));
  }

  peekIndex(userId: string): Promise<LoopIndex | undefined> {
    return this.docs.peek(this.indexPath(userId), loopIndexSchema);
  }

  /** A new loop's document (written by `save`). */
  create(loop: LoopDoc): Promise<Doc<LoopDoc>> {
    return this.docs.open<LoopDoc>(this.loopPath(loop.userId, loop.id), loopDocSchema, () => loop);
  }

  /** An existing loop, opened for changes; undefined when there is no such loop. */
  async open(userId: string, loopId: string): Promise<Doc<LoopDoc> | undefined> {
    if (!(await this.peek(userId, loopId))) return undefined;
    return this.docs.open<LoopDoc>(this.loopPath(userId, loopId), loopDocSchema, () => {
      throw new Error(`unreachable: loop ${loopId} vanished`);
    });
  }

  /**
   * Changes an existing loop atomically with respect to every other change, in any process (the loop's
   * summary line is unaffected by what goes through here); undefined when there is no such loop.
   */
  async update<R>(userId: string, loopId: string, change: (draft: LoopDoc) => R): Promise<R | undefined> {
    if (!(await this.peek(userId, loopId))) return undefined;
    const { result } = await this.docs.update<LoopDoc, R>(this.loopPath(userId, loopId), loopDocSchema, () => {
      throw new Error(`loop ${loopId} of ${userId} vanished`);
    }, change);
    return result;
  }

  peek(userId: string, loopId: string): Promise<LoopDoc | undefined> {
    return this.docs.peek(this.loopPath(userId, loopId), loopDocSchema);
  }

  /** Writes the loop, and the person's index when the loop's summary line changed. */
  async save(doc: Doc<LoopDoc>): Promise<void> {
    await doc.write();
    const loop = doc.data;
    const index = await this.index(loop.userId);
    const summary = summarize(loop);
    const at = index.data.loops.findIndex((l) => l.id === loop.id);
    const before = at >= 0 ? index.data.loops[at] : undefined;
    const activeLoopId = loop.status === "active" ? loop.id : index.data.activeLoopId === loop.id ? undefined : index.data.activeLoopId;
    if (before && JSON.stringify(before) === JSON.stringify(summary) && activeLoopId === index.data.activeLoopId) return;
    if (at >= 0) index.data.loops[at] = summary;
    else index.data.loops.push(summary);
    index.data.activeLoopId = activeLoopId;
    await index.write();
  }

  /** Every person's index (start-up: loops waiting for their next round). A corrupt one throws StoreCorruptError naming it. */
  async allIndices(): Promise<LoopIndex[]> {
    const out: LoopIndex[] = [];
    for (const path of await this.docs.list(`${ROOT}/`)) {
      if (!path.endsWith(`/${INDEX}`)) continue;
      const index = await this.docs.peek(path, loopIndexSchema);
      if (index) out.push(index);
    }
    return out;
  }
}

/** The schema of the loop documents by path, for DocumentStore.verify. */
export function loopSchemaFor(path: string) {
  if (!path.startsWith(`${ROOT}/`)) return undefined;
  return path.endsWith(`/${INDEX}`) ? loopIndexSchema : loopDocSchema;
}
