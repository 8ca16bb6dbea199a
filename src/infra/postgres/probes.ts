import type pg from "pg";
import { migrationLabel, migrationStatus } from "./migrate.js";

/** One readiness check (GET /readyz): never throws, never takes longer than its bound. */
export interface ReadinessProbe {
  name: string;
  check(): Promise<{ ok: boolean; detail?: string }>;
}

/** A hung database must not hang the probe: past `ms`, the check answers "not ready". */
function bounded(ms: number, work: () => Promise<{ ok: boolean; detail?: string }>): Promise<{ ok: boolean; detail?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: boolean; detail: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${ms} ms` }), ms);
    timer.unref();
  });
  const attempt = work().catch((error: Error) => ({ ok: false, detail: error.message }));
  return Promise.race([attempt, timeout]).finally(() => clearTimeout(timer));
}

/** `database`: the server answers a query. `migrations`: every migration of this code is applied, none unknown. */
export function postgresReadiness(pool: pg.Pool, timeoutMs = 2_000): ReadinessProbe[] {
  return [
    {
      name: "database",
      check: () =>
        bounded(timeoutMs, async () => {
          await pool.query("SELECT 1");
          return { ok: true };
        }),
    },
    {
      name: "migrations",
      check: () =>
        bounded(timeoutMs, async () => {
          const { applied, pending } = await migrationStatus(pool);
          return pending.length === 0
            ? { ok: true, detail: `${applied.length} applied` }
            : { ok: false, detail: `pending: ${pending.map(migrationLabel).join(", ")}` };
        }),
    },
  ];
}
