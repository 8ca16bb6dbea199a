import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { JsonDocs, listJsonFiles, parseDocument } from "./json-doc.js";
import { safeSegment } from "./safe-path.js";
import { z } from "zod";
import {
  threadRecordSchema,
  userDocSchema,
  type AnswerRecord,
  type ThreadKey,
  type ThreadRecord,
  type UserDoc,
} from "./records.js";

const anyJson = z.unknown();


/**
 * Persistent state of the interview engine: one lowdb document per user (their answers) and one per
 * question thread. Saving an answer rewrites only that person's document and that thread's document.
 */
export class InterviewStore {
  readonly docs: JsonDocs;

  constructor(readonly dataDir: string) {
    this.docs = new JsonDocs(dataDir);
  }

  /** Parses every data file once so a corrupt one stops start-up with its name, before anything writes. */
  async verify(): Promise<{ files: number }> {
    const files = await listJsonFiles(this.dataDir);
    for (const file of files) {
      const raw = await readFile(file, "utf8");
      const rel = relative(this.dataDir, file);
      const schema = rel.startsWith("users/") ? userDocSchema : rel.startsWith("threads/") ? threadRecordSchema : anyJson;
      parseDocument(file, raw, schema);
    }
    return { files: files.length };
  }

  private userPath(userId: string): string {
    return `users/${safeSegment(userId)}.json`;
  }

  private threadPath(key: ThreadKey): string {
    return `threads/${safeSegment(key.channel)}/${safeSegment(key.ts)}.json`;
  }

  private emptyUser(userId: string): () => UserDoc {
    return () => ({ version: 1, userId, createdAt: new Date().toISOString(), asked: [], answers: [] });
  }

  async user(userId: string) {
    return this.docs.open<UserDoc>(this.userPath(userId), userDocSchema, this.emptyUser(userId));
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
