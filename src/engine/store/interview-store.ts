import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { JsonDocs, listJsonFiles, parseDocument } from "./json-doc.js";
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

/** Slack ids and timestamps are [A-Z0-9.]; anything else is encoded so a path can never escape the data dir. */
function safeSegment(value: string): string {
  return /^[A-Za-z0-9._-]+$/.test(value) && !/^\.+$/.test(value) ? value : encodeURIComponent(value).replace(/\./g, "%2E");
}

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

  async user(userId: string) {
    return this.docs.open<UserDoc>(this.userPath(userId), userDocSchema, () => ({
      version: 1,
      userId,
      createdAt: new Date().toISOString(),
      asked: [],
      answers: [],
    }));
  }

  /** A user's history without creating a document for people who never practised. */
  async peekUser(userId: string): Promise<UserDoc | undefined> {
    return this.docs.peek(this.userPath(userId), userDocSchema);
  }

  async recordAsked(userId: string, questionId: string, at: Date): Promise<void> {
    const doc = await this.user(userId);
    doc.data.asked.push({ questionId, at: at.toISOString() });
    await doc.write();
  }

  async createThread(record: Omit<ThreadRecord, "version" | "participants" | "status">): Promise<ThreadRecord> {
    const doc = await this.docs.open<ThreadRecord>(this.threadPath(record), threadRecordSchema, () => ({
      version: 1,
      status: "open",
      participants: {},
      ...record,
    }));
    await doc.write();
    return doc.data;
  }

  async thread(key: ThreadKey): Promise<ThreadRecord | undefined> {
    return this.docs.peek(this.threadPath(key), threadRecordSchema);
  }

  /** Applies `change` to a thread and saves it; undefined when the thread is unknown. */
  async updateThread(key: ThreadKey, change: (thread: ThreadRecord) => void): Promise<ThreadRecord | undefined> {
    if (!(await this.thread(key))) return undefined;
    const doc = await this.docs.open<ThreadRecord>(this.threadPath(key), threadRecordSchema, () => {
      throw new Error("unreachable: thread vanished");
    });
    change(doc.data);
    await doc.write();
    return doc.data;
  }

  async saveAnswer(answer: Omit<AnswerRecord, "id">): Promise<AnswerRecord> {
    const record: AnswerRecord = { id: randomUUID(), ...answer };
    const doc = await this.user(answer.userId);
    doc.data.answers.push(record);
    await doc.write();
    return record;
  }
}

