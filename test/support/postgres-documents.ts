/**
 * The PostgreSQL document store, when this build has one (src/infra/postgres/storage.ts), opened with
 * migrations applied. Loaded by path at run time so the bench still runs, on the embedded store, in a
 * build without it (the PostgreSQL suites are then skipped).
 */
import { existsSync } from "node:fs";
import type { DocumentStore } from "../../src/engine/storage/documents.js";

const STORAGE = new URL("../../src/infra/postgres/storage.ts", import.meta.url);

interface PostgresModule {
  openPostgresStorage(
    settings: { url: string; migrate: boolean; poolSize: number },
    log: { info(m: string): void; warn(m: string): void },
  ): Promise<{ documents: DocumentStore }>;
}

export function hasPostgresStore(): boolean {
  return existsSync(STORAGE);
}

export async function openPostgresDocuments(url: string, poolSize = 8): Promise<DocumentStore | undefined> {
  if (!hasPostgresStore()) return undefined;
  const { openPostgresStorage } = (await import(STORAGE.href)) as PostgresModule;
  const quiet = { info: () => undefined, warn: (m: string) => console.error(m) };
  return (await openPostgresStorage({ url, migrate: true, poolSize }, quiet)).documents;
}
