import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JournalInbox } from "../../src/infra/embedded/journal-inbox.js";
import { JsonDocs } from "../../src/infra/embedded/json-docs.js";
import { InterviewStore } from "../../src/engine/store/interview-store.js";
import { PgDocumentStore } from "../../src/infra/postgres/pg-documents.js";
import { PgInbox } from "../../src/infra/postgres/pg-inbox.js";
import { createPool } from "../../src/infra/postgres/pool.js";
import { loadMigrations } from "../../src/infra/postgres/migrate.js";
import { userDocSchema } from "../../src/engine/store/records.js";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../support/postgres.js";
import { runScript } from "../support/run.js";
import { entry } from "../store/inbox-contract.js";

const DB = "src/cli/db.ts";

// Each test runs the CLI (through tsx) several times: generous bounds for a loaded machine.
describe.skipIf(!TEST_DATABASE_URL)("npm run db (migrate, status, import) against a real PostgreSQL", { timeout: 180_000 }, () => {
  let db: TestDatabase;
  let cwd: string;
  let dataDir: string;
  beforeAll(async () => {
    db = await createTestDatabase("cli");
    // No .env here: only what each test passes is configured.
    cwd = mkdtempSync(join(tmpdir(), "db-cli-"));
    dataDir = join(cwd, "data");
    // An embedded data folder as the app leaves it: users, a thread, a workspace's document, the inbox journal.
    const docs = new JsonDocs(dataDir);
    const store = new InterviewStore(docs);
    await store.recordAsked("U1", "mlsd-search-ranking", new Date("2026-01-02T03:04:05Z"));
    await store.recordAsked("U2", "ir-recall", new Date("2026-01-03T03:04:05Z"));
    await store.createThread({
      channel: "D1",
      ts: "1700000000.000100",
      questionId: "mlsd-search-ranking",
      roundId: "ml-system-design",
      askedBy: "U1",
      audience: "dm",
      origin: "ask",
      createdAt: "2026-01-02T03:04:05Z",
    });
    await new InterviewStore(docs.forWorkspace("T9")).recordAsked("U9", "ir-recall", new Date("2026-01-04T00:00:00Z"));
    const journal = await JournalInbox.open(dataDir);
    await journal.accept(entry("1700000001.000001"));
    await journal.accept(entry("1700000002.000001"));
    await journal.complete(entry("1700000002.000001").id);
    await journal.claim("Ev-handled", new Date());
    await journal.close();
  });
  afterAll(async () => {
    rmSync(cwd, { recursive: true, force: true });
    await db?.drop();
  });
  const run = (args: string[], env: Record<string, string> = { DATABASE_URL: db.url }) => runScript(DB, args, { cwd, env, timeoutMs: 60_000 });

  it("status lists pending migrations on a fresh database; migrate applies them once; status is then up to date", async () => {
    const before = await run(["status"]);
    expect(before.code).toBe(0);
    for (const m of loadMigrations()) expect(before.stdout).toMatch(new RegExp(`pending\\s+${String(m.version).padStart(3, "0")}_${m.name}`));
    const migrated = await run(["migrate"]);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain(`Applied ${loadMigrations().length} migration(s)`);
    const again = await run(["migrate"]);
    expect(again.stdout).toContain("is up to date");
    const after = await run(["status"]);
    expect(after.stdout).toContain("Up to date.");
    expect(after.stdout).not.toContain("pending");
  });

  it("imports a data folder with counts, idempotently; a changed document is reported and not overwritten", async () => {
    const first = await run(["import", "--data-dir", dataDir]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("documents:     4 imported, 0 already there, 0 conflicting, 0 invalid");
    expect(first.stdout).toContain("inbox pending: 1 imported, 0 already there");
    expect(first.stdout).toContain("handled ids:   2 imported, 0 already there");

    const pool = createPool({ url: db.url });
    try {
      const pg = new PgDocumentStore(pool);
      const imported = await new InterviewStore(pg).peekUser("U1");
      expect(imported?.asked).toEqual([{ questionId: "mlsd-search-ranking", at: "2026-01-02T03:04:05.000Z" }]);
      expect(await new InterviewStore(pg).thread({ channel: "D1", ts: "1700000000.000100" })).toMatchObject({ askedBy: "U1" });
      // The workspace's document landed in that workspace only.
      expect((await new InterviewStore(pg.forWorkspace("T9")).peekUser("U9"))?.userId).toBe("U9");
      expect(await new InterviewStore(pg).peekUser("U9")).toBeUndefined();
      const inbox = new PgInbox(pool);
      expect((await inbox.pending()).map((e) => e.ts)).toEqual(["1700000001.000001"]);
      expect(await inbox.has("Ev-handled")).toBe(true);
      expect((await inbox.accept(entry("1700000002.000001"))).accepted).toBe(false);

      const second = await run(["import", "--data-dir", dataDir]);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain("documents:     0 imported, 4 already there, 0 conflicting, 0 invalid");
      expect(second.stdout).toContain("inbox pending: 0 imported, 1 already there");
      expect(second.stdout).toContain("handled ids:   0 imported, 2 already there");

      // The database moved on (a new answer); the folder has an older copy and a damaged file.
      await new InterviewStore(pg).recordAsked("U1", "later-question", new Date("2026-02-01T00:00:00Z"));
      writeFileSync(join(dataDir, "users", "broken.json"), "{ not json");
      const third = await run(["import", "--data-dir", dataDir]);
      expect(third.code).toBe(1);
      expect(third.stdout).toContain("documents:     0 imported, 3 already there, 1 conflicting, 1 invalid");
      expect(third.stderr).toMatch(/conflicting: users\/U1\.json/);
      expect(third.stderr).toMatch(/invalid: users\/broken\.json/);
      const kept = await pg.peek("users/U1.json", userDocSchema);
      expect(kept?.asked.map((a) => a.questionId)).toEqual(["mlsd-search-ranking", "later-question"]);
      rmSync(join(dataDir, "users", "broken.json"));
    } finally {
      await pool.end();
    }
  });

  it("imports into a workspace with --workspace, migrating a fresh database first", async () => {
    const other = await createTestDatabase("cli2");
    try {
      const result = await run(["import", "--data-dir", dataDir, "--workspace", "T123"], { DATABASE_URL: other.url });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("4 imported");
      const pool = createPool({ url: other.url });
      try {
        const pg = new PgDocumentStore(pool);
        expect(await new InterviewStore(pg).peekUser("U1")).toBeUndefined();
        expect((await new InterviewStore(pg.forWorkspace("T123")).peekUser("U1"))?.userId).toBe("U1");
        expect((await new PgInbox(pool, "T123").pending()).map((e) => e.ts)).toEqual(["1700000001.000001"]);
      } finally {
        await pool.end();
      }
    } finally {
      await other.drop();
    }
  });

  it("without DATABASE_URL, with a missing folder, or an unknown command: a clear message and exit code 2", async () => {
    const [noUrl, missing, noDir, unknown] = await Promise.all([
      run(["status"], {}),
      run(["import", "--data-dir", join(cwd, "no-such-folder")]),
      run(["import"]),
      run(["drop-everything"]),
    ]);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain("DATABASE_URL is not set");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("No data folder at");
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toContain("--data-dir");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown command");
  });

  it("an unreachable database is a clear failure (exit 1) that does not print the password", async () => {
    const result = await run(["status"], { DATABASE_URL: "postgres://coach:hunter2-secret@127.0.0.1:1/coach" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cannot be reached");
    expect(result.stderr + result.stdout).not.toContain("hunter2-secret");
  });
});
