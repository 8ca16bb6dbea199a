import type { Config } from "../config.js";
import type { Inbox } from "../engine/inbox/ports.js";
import { loopSchemaFor } from "../engine/loop/loop-store.js";
import { scheduleSchemaFor } from "../engine/schedule/schedule-store.js";
import type { DocumentStore } from "../engine/storage/documents.js";
import { interviewSchemaFor } from "../engine/store/interview-store.js";
import { JournalInbox } from "../infra/embedded/journal-inbox.js";
import { JsonDocs } from "../infra/embedded/json-docs.js";
import { installationSchemaFor } from "../slack/oauth/installation-store.js";
import { rootWorkspaceSchemaFor } from "../slack/oauth/root-workspace.js";
import type { ReadinessProbe } from "../infra/postgres/probes.js";

export type { ReadinessProbe } from "../infra/postgres/probes.js";

export interface Storage {
  documents: DocumentStore;
  inbox: Inbox;
  /**
   * Checks for GET /readyz: with PostgreSQL, `database` (the server answers) and `migrations` (the schema
   * matches this code), each bounded to 2 s; none for the embedded storage (its files were checked at start).
   */
  readiness: ReadinessProbe[];
}

const quiet = { info: () => undefined, warn: () => undefined };

/**
 * DATABASE_URL set: PostgreSQL (pending migrations applied first unless DB_MIGRATE=off); unset: the
 * embedded storage, lowdb documents and the inbox journal under DATA_DIR. `documents.close()` releases
 * either (with PostgreSQL it ends the connection pool).
 */
export async function openStorage(config: Config, log: { info(m: string): void; warn(m: string): void } = quiet): Promise<Storage> {
  if (config.database) {
    // Loaded only with a database: the embedded default does not pay for the driver at start.
    const { openPostgresStorage } = await import("../infra/postgres/storage.js");
    const { documents, inbox, readiness } = await openPostgresStorage(config.database, log);
    return { documents, inbox, readiness };
  }
  return { documents: new JsonDocs(config.dataDir), inbox: await JournalInbox.open(config.dataDir), readiness: [] };
}

/** Which schema a stored document must satisfy, by its path (start-up integrity check). */
export function schemaForDocument(path: string) {
  return interviewSchemaFor(path) ?? scheduleSchemaFor(path) ?? loopSchemaFor(path) ?? installationSchemaFor(path) ?? rootWorkspaceSchemaFor(path);
}
