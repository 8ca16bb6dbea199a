import { randomUUID } from "node:crypto";
import type { DocumentStore } from "../storage/documents.js";
import { safeSegment } from "./safe-path.js";
import {
  threadRecordSchema,
  userDocSchema,
  type AnswerRecord,
  type ThreadKey,
  type ThreadRecord,
  type UserDoc,
} from "./records.js";

/**
 * Persistent state of the interview engine: one document per user (their answers) and one per question
 * thread. Saving an answer rewrites only that person's document and that thread's document.
 */
export class InterviewStore {
  constructor(readonly docs: DocumentStore) {}

  private userPath(userId: string): string {
    return `users/${safeSegment(userId)}.json`;
  }

  private threadPath(key: ThreadKey): string {
    return `threads/${safeSegment(key.channel)}/${safeSegment(key.ts)}.json`;
  }

  private emptyUser(userId: string): () => UserDoc {
    return () => ({ version: 1, userId, createdAt: new Date().toISOString(), asked: [], answers: [] });
  }

  /** A user's history without creating a document for people who never practised. */
  async peekUser(userId: string): Promise<UserDoc | undefined> {
    return this.docs.peek(this.userPath(userId), userDocSchema);
  }

  async recordAsked(userId: string, questionId: string, at: Date): Promise<void> {
    await this.docs.update(this.userPath(userId), userDocSchema, this.emptyUser(userId), (doc) => {
      doc.asked.push({ questionId, at: at.toISOString() });
    });
  }

  async createThread(record: Omit<ThreadRecord, "version" | "participants" | "status">): Promise<ThreadRecord> {
    const fresh = (): ThreadRecord => ({ version: 1, status: "open", participants: {}, ...record });
    // Recording the same thread again (a delivery recovered after a crash) keeps what it already holds.
    const { data } = await this.docs.update(this.threadPath(record), threadRecordSchema, fresh, () => undefined);
    return data;
  }

  async thread(key: ThreadKey): Promise<ThreadRecord | undefined> {
    return this.docs.peek(this.threadPath(key), threadRecordSchema);
  }

  /** Applies `change` to a thread and saves it; undefined when the thread is unknown. */
  async updateThread(key: ThreadKey, change: (thread: ThreadRecord) => void): Promise<ThreadRecord | undefined> {
    if (!(await this.thread(key))) return undefined;
    const { data } = await this.docs.update<ThreadRecord, void>(this.threadPath(key), threadRecordSchema, () => {
      throw new Error("unreachable: thread vanished");
    }, change);
    return data;
  }

  /** One answer by its id (the id the inbox gave the reply it came from). */
  async findAnswer(userId: string, answerId: string): Promise<AnswerRecord | undefined> {
    return (await this.peekUser(userId))?.answers.find((a) => a.id === answerId);
  }

  /**
   * Saves an answer. With an `id` that is already stored (the same reply processed again after a crash
   * or a retry) nothing changes and the stored answer is returned: one reply is one answer.
   */
  async saveAnswer(answer: Omit<AnswerRecord, "id"> & { id?: string }): Promise<AnswerRecord> {
    const record: AnswerRecord = { ...answer, id: answer.id ?? randomUUID() };
    const { result } = await this.docs.update(this.userPath(answer.userId), userDocSchema, this.emptyUser(answer.userId), (doc) => {
      const existing = doc.answers.find((a) => a.id === record.id);
      if (existing) return existing;
      doc.answers.push(record);
      return record;
    });
    return result;
  }
}

/** The schema of the interview store's documents by path, for DocumentStore.verify. */
export function interviewSchemaFor(path: string) {
  return path.startsWith("users/") ? userDocSchema : path.startsWith("threads/") ? threadRecordSchema : undefined;
}
