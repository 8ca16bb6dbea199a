import { mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { schemaForDocument } from "../../src/app/storage.js";
import { StoreCorruptError } from "../../src/engine/store/errors.js";
import { InterviewStore } from "../../src/engine/store/interview-store.js";
import type { Critique } from "../../src/engine/grading/types.js";
import { JsonDocs } from "../../src/infra/embedded/json-docs.js";

const critique: Critique = {
  questionId: "q",
  roundId: "r",
  grader: "offline",
  overall: 3,
  signal: null,
  corrections: [],
  dimensions: [],
  strengths: [],
  gaps: [],
  followUp: "",
  injectionSuspected: false,
  droppedQuotes: 0,
};

function answer(userId: string) {
  return { userId, questionId: "q", roundId: "r", thread: { channel: "D1", ts: "1.1" }, turn: 0, text: "hello", createdAt: new Date().toISOString(), critique, hintsUsed: 0 };
}

describe("InterviewStore (lowdb files under DATA_DIR)", () => {
  it("persists answers and threads across instances", async () => {
    const dir = mkdtempSync(join(tmpdir(), "store-"));
    const a = new InterviewStore(new JsonDocs(dir));
    await a.createThread({ channel: "D1", ts: "1.1", questionId: "q", roundId: "r", askedBy: "U1", audience: "dm", origin: "ask", createdAt: new Date().toISOString() });
    await a.saveAnswer(answer("U1"));
    const b = new InterviewStore(new JsonDocs(dir));
    expect((await b.thread({ channel: "D1", ts: "1.1" }))?.questionId).toBe("q");
    expect((await b.peekUser("U1"))?.answers).toHaveLength(1);
    expect(await b.peekUser("U2")).toBeUndefined();
  });

  it("keeps each person's answers in their own document", async () => {
    const dir = mkdtempSync(join(tmpdir(), "store-"));
    const store = new InterviewStore(new JsonDocs(dir));
    await store.saveAnswer(answer("U1"));
    await store.saveAnswer(answer("U2"));
    const u1 = JSON.parse(readFileSync(join(dir, "users", "U1.json"), "utf8"));
    expect(u1.answers).toHaveLength(1);
  });

  it("stops on a corrupt file, naming it, and leaves it untouched", async () => {
    const dir = mkdtempSync(join(tmpdir(), "store-"));
    mkdirSync(join(dir, "users"), { recursive: true });
    const file = join(dir, "users", "U1.json");
    writeFileSync(file, '{"version":1,"userId":"U1", "answers": [');
    const docs = new JsonDocs(dir);
    const store = new InterviewStore(docs);
    await expect(docs.verify(schemaForDocument)).rejects.toThrow(StoreCorruptError);
    await expect(docs.verify(schemaForDocument)).rejects.toThrow(file);
    await expect(store.saveAnswer(answer("U1"))).rejects.toThrow(StoreCorruptError);
    expect(readFileSync(file, "utf8")).toBe('{"version":1,"userId":"U1", "answers": [');
  });

  it("never lets an id escape the data directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "store-"));
    const store = new InterviewStore(new JsonDocs(dir));
    await store.saveAnswer(answer("../../etc/passwd"));
    expect(readdirSync(join(dir, "users"))).toEqual(["%2E%2E%2F%2E%2E%2Fetc%2Fpasswd.json"]);
    expect(await store.peekUser("../../etc/passwd")).toMatchObject({ userId: "../../etc/passwd" });
  });
});
