/**
 * Process roles: ROLE and WORKER_QUEUES are parsed once with clear messages; app/worker need the shared
 * queue of DATABASE_URL; a production worker whose sandbox failed refuses code judging; `npm start` with
 * ROLE=worker runs from dist/ and drains on SIGTERM.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { workerQueues, WorkerStartError } from "../../src/app/work.js";
import type { Engine } from "../../src/app/engine.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../support/postgres.js";
import { ROOT, runScript } from "../support/run.js";
import { TEST_BOT_TOKEN } from "../support/app.js";

const DB = "postgres://coach@db.internal:5432/coach";

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a configuration error");
}

describe("ROLE and WORKER_QUEUES", () => {
  it("default to one process taking every queue", () => {
    const config = loadConfig({});
    expect(config.role).toBe("all");
    expect(config.workerQueues).toEqual(["grade", "judge", "deliver", "loop"]);
  });

  it("take a comma list, in any case and spacing, without repeats", () => {
    expect(loadConfig({ ROLE: "Worker", DATABASE_URL: DB, WORKER_QUEUES: " judge , GRADE,judge" }).workerQueues).toEqual(["judge", "grade"]);
  });

  it("name the allowed values for a wrong role or queue", () => {
    expect(configError({ ROLE: "judge" })).toContain("ROLE: must be all, app or worker");
    expect(configError({ WORKER_QUEUES: "grade,email" })).toContain("WORKER_QUEUES: a comma-separated list of grade, judge, deliver, loop");
  });

  it("refuse app or worker without a database, saying why and what to do", () => {
    for (const role of ["app", "worker"]) {
      const message = configError({ ROLE: role });
      expect(message).toContain(`ROLE=${role} needs DATABASE_URL`);
      expect(message).toContain("Leave ROLE unset");
    }
    expect(configError({ DATABASE_URL: "mysql://x/y" })).toContain("DATABASE_URL: must be a postgres:// or postgresql:// URL");
    // Embedded, one process must take every queue: nothing else would run the rest.
    expect(configError({ WORKER_QUEUES: "grade" })).toContain("WORKER_QUEUES=grade needs DATABASE_URL");
    expect(loadConfig({ WORKER_QUEUES: "grade,judge,deliver,loop" }).workerQueues).toHaveLength(4);
  });

  it("stop `npm start` with that message", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "roles-"));
    const { code, stderr } = await runScript("src/main.ts", [], { cwd, env: { ROLE: "worker", SLACK_BOT_TOKEN: "xoxb-test" } });
    rmSync(cwd, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(stderr).toContain("ROLE=worker needs DATABASE_URL");
  });
});

describe("a worker whose sandbox failed its self-test", () => {
  const broken = { available: false, reason: "bubblewrap cannot create a user namespace" } as Engine["judge"];
  const working = { available: true } as Engine["judge"];
  const log = () => {
    const lines: string[] = [];
    return { lines, logger: { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) } };
  };

  it("refuses the judge queue in production with one line saying why, and keeps the others", () => {
    const { lines, logger } = log();
    const config = loadConfig({ NODE_ENV: "production", ROLE: "worker", DATABASE_URL: DB, WORKER_QUEUES: "grade,judge" });
    expect(workerQueues(config, broken, logger)).toEqual(["grade"]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("Refusing the judge queue");
    expect(lines[0]).toContain("bubblewrap cannot create a user namespace");
  });

  it("does not start when the judge queue was all it was asked for", () => {
    const config = loadConfig({ NODE_ENV: "production", ROLE: "worker", DATABASE_URL: DB, WORKER_QUEUES: "judge" });
    expect(() => workerQueues(config, broken, log().logger)).toThrow(WorkerStartError);
  });

  it("keeps the judge queue when the sandbox works, outside production, or in a single process", () => {
    const worker = loadConfig({ NODE_ENV: "production", ROLE: "worker", DATABASE_URL: DB });
    expect(workerQueues(worker, working, log().logger)).toContain("judge");
    expect(workerQueues(loadConfig({ ROLE: "worker", DATABASE_URL: DB }), broken, log().logger)).toContain("judge");
    // One process does everything: its coding critiques say code execution is off, as before.
    expect(workerQueues(loadConfig({ NODE_ENV: "production" }), broken, log().logger)).toContain("judge");
  });
});

describe.skipIf(!TEST_DATABASE_URL || !existsSync(resolve(ROOT, "dist/main.js")))("npm start with ROLE=worker (dist/)", () => {
  let slack: FakeSlack;
  let db: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    slack = await startFakeSlack();
    db = await createTestDatabase("worker");
    dataDir = mkdtempSync(join(tmpdir(), "coach-worker-"));
  });
  afterAll(async () => {
    await slack.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("runs its queues without a Slack receiver and exits cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, [resolve(ROOT, "dist/main.js")], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", NODE_ENV: "test", ROLE: "worker", WORKER_QUEUES: "grade,deliver", DATABASE_URL: db.url, DATA_DIR: dataDir, SLACK_BOT_TOKEN: TEST_BOT_TOKEN, SLACK_API_URL: slack.apiUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
    const end = Date.now() + 60_000;
    while (!out.includes("worker is running") && child.exitCode === null && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain("Interview coach worker is running (queues: grade, deliver).");
    expect(out).not.toContain("listening");
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out).toContain("Stopped cleanly.");
  }, 90_000);
});
