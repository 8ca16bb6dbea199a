import { readFile } from "node:fs/promises";
import { relative, sep } from "node:path";
import type pg from "pg";
import type { z } from "zod";
import { checkDocumentPath } from "../../engine/storage/paths.js";
import { JournalInbox } from "../embedded/journal-inbox.js";
import { listJsonFiles, parseDocument } from "../embedded/json-docs.js";
import { jsonForPostgres } from "./json.js";
import { PgInbox } from "./pg-inbox.js";
import { workspaceKey } from "./pg-documents.js";
import { reaching } from "./pool.js";

export interface ImportCounts {
  imported: number;
  /** Already in the database with the same content (a second import finds everything here). */
  alreadyThere: number;
  /** In the database with different content: reported, never overwritten. */
  conflicting: number;
  /** Not valid JSON, not the shape its path requires, or a path that cannot be a document. */
  invalid: number;
}

export interface ImportReport {
  documents: ImportCounts;
  inboxPending: Pick<ImportCounts, "imported" | "alreadyThere">;
  handledIds: Pick<ImportCounts, "imported" | "alreadyThere">;
  /** One line per conflicting or invalid document. */
  problems: string[];
}

export interface ImportOptions {
  /** Team id the folder's documents belong to (multi-workspace); '' keeps them in the single-workspace store. */
  workspace?: string;
  schemaFor: (path: string) => z.ZodType<unknown> | undefined;
}

/** `workspaces/<A>/workspaces/<B>/users/U1.json` → the workspace column and path PgDocumentStore uses for it. */
function locate(root: string, path: string): { workspace: string; path: string } {
  let workspace = root;
  let rest = path;
  for (let m = /^workspaces\/([^/]+)\/(.+)$/.exec(rest); m; m = /^workspaces\/([^/]+)\/(.+)$/.exec(rest)) {
    // The folder name is already the encoded segment JsonDocs made of the team id.
    workspace = workspace === "" ? m[1]! : `${workspace}/${m[1]!}`;
    rest = m[2]!;
  }
  return { workspace, path: rest };
}

/**
 * Copies an embedded data folder (lowdb documents, the inbox journal) into PostgreSQL. Idempotent: what is
 * already there with the same content is counted, never written again; a document present with other
 * content is reported and left alone. The folder itself is only read.
 */
export async function importDataDir(pool: pg.Pool, dataDir: string, options: ImportOptions): Promise<ImportReport> {
  const root = options.workspace ? workspaceKey("", options.workspace) : "";
  const report: ImportReport = {
    documents: { imported: 0, alreadyThere: 0, conflicting: 0, invalid: 0 },
    inboxPending: { imported: 0, alreadyThere: 0 },
    handledIds: { imported: 0, alreadyThere: 0 },
    problems: [],
  };
  const files = (await listJsonFiles(dataDir)).sort();
  for (const file of files) {
    const relPath = relative(dataDir, file).split(sep).join("/");
    const target = locate(root, relPath);
    let data: unknown;
    try {
      checkDocumentPath(target.path);
      const schema = options.schemaFor(target.path);
      const raw = await readFile(file, "utf8");
      data = JSON.parse(raw);
      // The shape check only: what is stored is the file's JSON as it is.
      if (schema) parseDocument(file, raw, schema);
    } catch (error) {
      report.documents.invalid += 1;
      report.problems.push(`invalid: ${relPath}: ${(error as Error).message}`);
      continue;
    }
    const { rows } = await reaching(pool, () =>
      pool.query<{ inserted: string; same: boolean | null }>(
        `WITH ins AS (INSERT INTO documents (workspace, path, data) VALUES ($1, $2, $3::jsonb) ON CONFLICT DO NOTHING RETURNING 1)
         SELECT (SELECT count(*) FROM ins) AS inserted, (SELECT data = $3::jsonb FROM documents WHERE workspace = $1 AND path = $2) AS same`,
        [target.workspace, target.path, jsonForPostgres(data)],
      ),
    );
    if (Number(rows[0]!.inserted) === 1) report.documents.imported += 1;
    else if (rows[0]!.same) report.documents.alreadyThere += 1;
    else {
      report.documents.conflicting += 1;
      report.problems.push(`conflicting: ${relPath} is already in the database with different content (left as it is)`);
    }
  }

  const journal = await JournalInbox.read(dataDir);
  const inbox = new PgInbox(pool, root);
  // Handled first: an id handled in the folder is handled in the database too, even if an earlier import
  // copied it while it was still pending (it must not be graded twice).
  for (const [id, at] of journal.handled) {
    const { rowCount } = await reaching(pool, () =>
      pool.query(
        `INSERT INTO inbox (workspace, id, handled_at) VALUES ($1, $2, $3)
         ON CONFLICT (workspace, id) DO UPDATE SET entry = NULL, handled_at = EXCLUDED.handled_at WHERE inbox.handled_at IS NULL`,
        [root, id, new Date(at)],
      ),
    );
    if (rowCount === 1) report.handledIds.imported += 1;
    else report.handledIds.alreadyThere += 1;
  }
  for (const entry of journal.pending) {
    if ((await inbox.accept(entry)).accepted) report.inboxPending.imported += 1;
    else report.inboxPending.alreadyThere += 1;
  }
  return report;
}

