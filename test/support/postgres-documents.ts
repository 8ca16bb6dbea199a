/** The PostgreSQL document store, opened with migrations applied (tests and benches). */
import type { DocumentStore } from "../../src/engine/storage/documents.js";
import { openPostgresStorage } from "../../src/infra/postgres/storage.js";

export async function openPostgresDocuments(url: string, poolSize = 8): Promise<DocumentStore> {
  const quiet = { info: () => undefined, warn: (m: string) => console.error(m) };
  return (await openPostgresStorage({ url, migrate: true, poolSize }, quiet)).documents;
}
