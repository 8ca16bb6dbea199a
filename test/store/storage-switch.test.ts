import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, loadConfig } from "../../src/config.js";
import { openStorage } from "../../src/app/storage.js";
import { StoreUnavailableError } from "../../src/engine/store/errors.js";
import { JsonDocs } from "../../src/infra/embedded/json-docs.js";
import { JournalInbox } from "../../src/infra/embedded/journal-inbox.js";

describe("the storage switch (DATABASE_URL, DB_MIGRATE, DB_POOL_SIZE)", () => {
  it("without DATABASE_URL: the embedded storage under DATA_DIR, no readiness checks to add", async () => {
    const dir = mkdtempSync(join(tmpdir(), "switch-"));
    try {
      const config = loadConfig({ DATA_DIR: dir });
      expect(config.database).toBeUndefined();
      const storage = await openStorage(config);
      expect(storage.documents).toBeInstanceOf(JsonDocs);
      expect(storage.inbox).toBeInstanceOf(JournalInbox);
      expect(storage.readiness).toEqual([]);
      await storage.documents.update("users/U1.json", z.object({ a: z.number() }), () => ({ a: 1 }), () => undefined);
      expect(readdirSync(join(dir, "users"))).toEqual(["U1.json"]);
      await storage.inbox.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("parses the database settings with their defaults", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://coach:pw@db:5432/coach" }).database).toEqual({ url: "postgres://coach:pw@db:5432/coach", migrate: true, poolSize: 10 });
    expect(loadConfig({ DATABASE_URL: "postgresql://db/coach", DB_MIGRATE: "off", DB_POOL_SIZE: "3" }).database).toEqual({ url: "postgresql://db/coach", migrate: false, poolSize: 3 });
    expect(loadConfig({ DATABASE_URL: "" }).database).toBeUndefined();
  });

  it("refuses a bad setting by name without echoing the value (it may hold a password)", () => {
    const bad = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      throw new Error("accepted");
    };
    const message = bad({ DATABASE_URL: "mysql://root:topsecret@db/coach" });
    expect(message).toContain("DATABASE_URL");
    expect(message).not.toContain("topsecret");
    expect(bad({ DATABASE_URL: "postgres://db/x", DB_MIGRATE: "maybe" })).toContain("DB_MIGRATE");
    expect(bad({ DATABASE_URL: "postgres://db/x", DB_POOL_SIZE: "0" })).toContain("DB_POOL_SIZE");
  });

  it("a database that cannot be reached stops start-up with a typed error naming it, never its password", async () => {
    const config = loadConfig({ DATABASE_URL: "postgres://coach:topsecret@127.0.0.1:1/coach" });
    const failure = await openStorage(config).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as Error).message).toContain("postgres://coach@127.0.0.1:1/coach");
    expect((failure as Error).message).not.toContain("topsecret");
  });
});
