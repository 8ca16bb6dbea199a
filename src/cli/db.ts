/**
 * `npm run db -- migrate|status|import`: the PostgreSQL schema and moving an embedded data folder into it.
 * Reads DATABASE_URL (and .env) like the app. Exit codes: 0 done, 1 failed (a migration, the database, or
 * an import with conflicting or invalid documents), 2 a bad request (no DATABASE_URL, unknown command,
 * missing folder).
 */
import { stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import { config as loadDotenv } from "dotenv";
import { ConfigError, loadConfig } from "../config.js";
import { schemaForDocument } from "../app/storage.js";
import { importDataDir } from "../infra/postgres/import-data.js";
import { migrate, migrationLabel, migrationStatus, requireMigrated } from "../infra/postgres/migrate.js";
import { createPool, describeDatabase } from "../infra/postgres/pool.js";

const USAGE = `Usage:
  npm run db -- migrate                 apply pending migrations
  npm run db -- status                  list applied and pending migrations
  npm run db -- import --data-dir <dir> [--workspace <team id>]
                                        copy an embedded data folder (lowdb files, inbox journal) into PostgreSQL;
                                        idempotent; documents already there with other content are reported, not overwritten

DATABASE_URL must be set (environment or .env).`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { "data-dir": { type: "string" }, workspace: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  const [command, ...extra] = positionals;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!command || !["migrate", "status", "import"].includes(command) || extra.length > 0) throw new UsageError(command ? `Unknown command: ${[command, ...extra].join(" ")}` : "No command given.");
  loadDotenv({ quiet: true });
  const config = loadConfig();
  if (!config.database) throw new UsageError("DATABASE_URL is not set: point it at the PostgreSQL database (postgres://user:password@host:5432/name).");
  let dataDir: string | undefined;
  if (command === "import") {
    dataDir = values["data-dir"];
    if (!dataDir) throw new UsageError("import needs --data-dir <folder> (the embedded app's DATA_DIR).");
    const isDir = await stat(dataDir).then((s) => s.isDirectory(), () => false);
    if (!isDir) throw new UsageError(`No data folder at ${dataDir}: give the embedded app's DATA_DIR.`);
  }
  const pool = createPool({ url: config.database.url, size: 2, connectTimeoutMs: 10_000 });
  const where = describeDatabase(config.database.url);
  try {
    if (command === "status") {
      const { applied, pending } = await migrationStatus(pool);
      console.log(`Database ${where}`);
      for (const m of applied) console.log(`  applied  ${migrationLabel(m)}  ${m.appliedAt.toISOString()}`);
      for (const m of pending) console.log(`  pending  ${migrationLabel(m)}`);
      console.log(pending.length === 0 ? "Up to date." : `${pending.length} pending: run \`npm run db -- migrate\`.`);
      return 0;
    }
    if (command === "migrate" || config.database.migrate) {
      const applied = await migrate(pool, undefined, (line) => console.log(line));
      if (command === "migrate") {
        console.log(applied.length === 0 ? `Database ${where} is up to date.` : `Applied ${applied.length} migration(s) to ${where}.`);
        return 0;
      }
    } else {
      await requireMigrated(pool);
    }
    const report = await importDataDir(pool, dataDir!, { workspace: values.workspace, schemaFor: schemaForDocument });
    for (const line of report.problems) console.error(line);
    const d = report.documents;
    console.log(`Imported ${dataDir} into ${where}${values.workspace ? ` (workspace ${values.workspace})` : ""}:`);
    console.log(`  documents:     ${d.imported} imported, ${d.alreadyThere} already there, ${d.conflicting} conflicting, ${d.invalid} invalid`);
    console.log(`  inbox pending: ${report.inboxPending.imported} imported, ${report.inboxPending.alreadyThere} already there`);
    console.log(`  handled ids:   ${report.handledIds.imported} imported, ${report.handledIds.alreadyThere} already there`);
    return d.conflicting + d.invalid > 0 ? 1 : 0;
  } finally {
    await pool.end();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${(error as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error((error as Error).message ?? String(error));
    process.exit(1);
  },
);
