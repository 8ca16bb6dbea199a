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

export interface Storage {
  documents: DocumentStore;
  inbox: Inbox;
}

/** The embedded storage: lowdb documents and the inbox journal under DATA_DIR. */
export async function openStorage(config: Config): Promise<Storage> {
  return { documents: new JsonDocs(config.dataDir), inbox: await JournalInbox.open(config.dataDir) };
}

/** Which schema a stored document must satisfy, by its path (start-up integrity check). */
export function schemaForDocument(path: string) {
  return interviewSchemaFor(path) ?? scheduleSchemaFor(path) ?? loopSchemaFor(path) ?? installationSchemaFor(path) ?? rootWorkspaceSchemaFor(path);
}
