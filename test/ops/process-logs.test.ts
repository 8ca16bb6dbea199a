/**
 * `npm start` as a real process: every line it writes is JSON with level and time, carries no secret,
 * and SIGTERM's drain is logged step by step while /readyz turns 503.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { TEST_BOT_TOKEN } from "../support/app.js";
import { TEST_SIGNING_SECRET, postSigned, slashCommandBody } from "../support/signed.js";
import { startAppProcess, type AppProcess } from "../durability/support/app-process.js";

const OPENAI_KEY = "sk-process-canary-key-0123456789";

let slack: FakeSlack | undefined;
let app: AppProcess | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  if (app && app.child.exitCode === null && app.child.signalCode === null) await app.crash();
  await slack?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  slack = app = dataDir = undefined;
});

describe("npm start's logs", () => {
  it("are JSON lines without secrets, at debug level too, and log the drain on SIGTERM", async () => {
    slack = await startFakeSlack();
    dataDir = mkdtempSync(join(tmpdir(), "coach-logs-"));
    app = await startAppProcess({
      DATA_DIR: dataDir,
      SLACK_API_URL: slack.apiUrl,
      LOG_LEVEL: "debug",
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
      SHUTDOWN_DELAY_MS: "800",
    });
    const port = new URL(app.eventsUrl).port;
    await postSigned(app.eventsUrl, slashCommandBody({ text: "ask mlsd", userId: "U111", channelId: "D111", responseUrl: slack.responseUrl() }), "application/x-www-form-urlencoded");
    await slack.waitFor((cs) => cs.some((c) => c.method === "chat.postMessage"));
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    const exited = app.signal("SIGTERM");
    // While SHUTDOWN_DELAY_MS runs, the process still answers, and /readyz says it is draining.
    let draining = 0;
    for (let i = 0; i < 20 && draining !== 503; i++) {
      draining = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0);
      if (draining !== 503) await new Promise((r) => setTimeout(r, 25));
    }
    expect(draining).toBe(503);
    expect(await exited).toBe(0);

    const lines = app.output().split("\n").filter((l) => l.trim() !== "");
    const records = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
    for (const r of records) {
      expect(["debug", "info", "warn", "error"]).toContain(r.level);
      expect(typeof r.time).toBe("string");
    }
    // Bolt's request handling is in there, naming the team and user.
    expect(records.some((r) => r.component === "bolt" && r.team === "T0001" && r.user === "U111")).toBe(true);
    const messages = records.map((r) => String(r.msg));
    expect(messages.some((m) => m.startsWith("SIGTERM"))).toBe(true);
    expect(messages.some((m) => m.includes("Draining: /readyz answers 503"))).toBe(true);
    expect(messages.some((m) => m.includes("Drained"))).toBe(true);
    expect(messages.at(-1)).toBe("Stopped cleanly.");
    const all = app.output();
    for (const secret of [TEST_BOT_TOKEN, TEST_SIGNING_SECRET, OPENAI_KEY]) expect(all).not.toContain(secret);
  }, 60_000);
});
