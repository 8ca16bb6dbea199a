import { z } from "zod";
import type { DocumentStore } from "../../engine/storage/documents.js";

const PATH = "workspace.json";

/** Which Slack workspace the data at the storage root belongs to (recorded in single-workspace mode). */
const rootWorkspaceSchema = z.object({ version: z.literal(1), teamId: z.string().min(1), recordedAt: z.string() });

export function rootWorkspaceSchemaFor(path: string) {
  return path === PATH ? rootWorkspaceSchema : undefined;
}

/**
 * Single-workspace mode keeps its data at the storage root. Recording whose it is lets OAuth mode later
 * serve that same workspace from it, so switching modes neither hides nor copies anyone's history.
 */
export async function recordRootWorkspace(documents: DocumentStore, teamId: string, now = new Date()): Promise<void> {
  const current = await documents.peek(PATH, rootWorkspaceSchema);
  if (current?.teamId === teamId) return;
  const record = { version: 1 as const, teamId, recordedAt: now.toISOString() };
  await documents.update(PATH, rootWorkspaceSchema, () => record, (draft) => Object.assign(draft, record));
}

/** The team whose data is at the storage root, if single-workspace mode ever recorded one. */
export async function rootWorkspace(documents: DocumentStore): Promise<string | undefined> {
  return (await documents.peek(PATH, rootWorkspaceSchema))?.teamId;
}

/**
 * Where an OAuth workspace's documents live (the key for DocumentStore.forWorkspace): its own key, except
 * the team recorded at the root, whose data stays there. A worker maps workspaces the same way.
 */
export function storageKeyFor(workspace: string, rootTeam: string | undefined): string {
  return rootTeam !== undefined && workspace === rootTeam ? "" : workspace;
}
