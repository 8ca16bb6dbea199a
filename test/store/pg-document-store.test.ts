import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { StoreUnavailableError } from "../../src/engine/store/errors.js";
import { migrate } from "../../src/infra/postgres/migrate.js";
import { PgDocumentStore } from "../../src/infra/postgres/pg-documents.js";
import { PgInbox } from "../../src/infra/postgres/pg-inbox.js";
import { createPool } from "../../src/infra/postgres/pool.js";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../support/postgres.js";
import { documentStoreContract } from "./document-store-contract.js";
import { inboxContract } from "./inbox-contract.js";

const listSchema = z.object({ items: z.array(z.string()) });

describe.skipIf(!TEST_DATABASE_URL)("PostgreSQL storage", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("docs");
    const pool = createPool({ url: db.url });
    await migrate(pool);
    await pool.end();
  });
  afterAll(async () => {
    await db?.drop();
  });

  // Each test gets its own workspace column value, so tests never see each other's rows.
  let run = 0;
  const scope = () => `contract_${process.pid}_${++run}`;

  documentStoreContract("PgDocumentStore (PostgreSQL rows), two pools as two processes", async () => {
    const poolA = createPool({ url: db.url, size: 5 });
    const poolB = createPool({ url: db.url, size: 5 });
    const ws = scope();
    const root = new PgDocumentStore(poolA);
    return {
      store: root.forWorkspace(ws),
      second: new PgDocumentStore(poolB).forWorkspace(ws),
      refusesStaleWrites: true,
      async corrupt(path, data) {
        // Same key the store computes for that workspace.
        await poolA.query("UPDATE documents SET data = $3::jsonb WHERE workspace = $1 AND path = $2", [ws, path, JSON.stringify(data)]);
      },
      async cleanup() {
        await poolA.end();
        await poolB.end();
      },
    };
  });

  inboxContract("PgInbox (PostgreSQL rows)", async () => {
    const pools = [createPool({ url: db.url, size: 3 })];
    const ws = scope();
    const first = new PgInbox(pools[0]!, ws);
    return {
      inbox: first,
      handled: first,
      async reopen() {
        const pool = createPool({ url: db.url, size: 3 });
        pools.push(pool);
        const inbox = new PgInbox(pool, ws);
        return { inbox, handled: inbox };
      },
      async cleanup() {
        for (const pool of pools) await pool.end();
      },
    };
  });

  it("verify reads in batches: 1,200 documents are all checked", async () => {
    const pool = createPool({ url: db.url });
    try {
      const store = new PgDocumentStore(pool).forWorkspace(scope());
      const ws = (store as unknown as { workspace: string }).workspace;
      await pool.query(
        "INSERT INTO documents (workspace, path, data) SELECT $1, 'users/U' || lpad(i::text, 5, '0') || '.json', '{\"items\":[]}'::jsonb FROM generate_series(1, 1200) i",
        [ws],
      );
      await pool.query("UPDATE documents SET data = '{\"items\":7}' WHERE workspace = $1 AND path = 'users/U01199.json'", [ws]);
      await expect(store.verify(() => listSchema)).rejects.toThrow("users/U01199.json");
      await pool.query("UPDATE documents SET data = '{\"items\":[]}' WHERE workspace = $1 AND path = 'users/U01199.json'", [ws]);
      expect(await store.verify(() => listSchema)).toEqual({ documents: 1200 });
    } finally {
      await pool.end();
    }
  });

  it("in one process, a peek issued while that document's update is being saved reads the saved update", async () => {
    const pool = createPool({ url: db.url });
    try {
      const store = new PgDocumentStore(pool).forWorkspace(scope());
      for (let i = 0; i < 5; i++) {
        const saving = store.update(`threads/C1/${i}.json`, listSchema, () => ({ items: ["created"] }), (d) => void d.items.push("changed"));
        // Not awaited: the reply that arrives while the thread is being recorded.
        expect(await store.peek(`threads/C1/${i}.json`, listSchema)).toEqual({ items: ["created", "changed"] });
        await saving;
      }
    } finally {
      await pool.end();
    }
  });

  it("a database that cannot be reached is a typed error naming it without the password, not a crash", async () => {
    const url = new URL(db.url);
    url.port = "1"; // nothing listens there
    url.password = "s3cret-password";
    const pool = createPool({ url: url.toString(), connectTimeoutMs: 2_000 });
    const store = new PgDocumentStore(pool);
    try {
      const failure = await store.peek("users/U1.json", listSchema).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect((failure as Error).message).toContain("127.0.0.1:1");
      expect((failure as Error).message).not.toContain("s3cret-password");
      await expect(store.update("users/U1.json", listSchema, () => ({ items: [] }), (d) => void d.items.push("x"))).rejects.toThrow(StoreUnavailableError);
      await expect(new PgInbox(pool).claim("Ev1")).rejects.toThrow(StoreUnavailableError);
    } finally {
      await pool.end();
    }
  });
});
