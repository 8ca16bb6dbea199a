import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScript } from "../support/run.js";

describe("npm start", () => {
  it("without Slack tokens and without a terminal, exits listing the missing variables", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "start-"));
    const { code, stderr } = await runScript("src/main.ts", [], { cwd, env: { DATA_DIR: join(cwd, "data") } });
    expect(code).toBe(1);
    expect(stderr).toContain("SLACK_BOT_TOKEN");
    expect(stderr).toContain("SLACK_SIGNING_SECRET");
  });

  it("stops on a corrupt data file, naming it, and leaves it as it was", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "start-"));
    const data = join(cwd, "data");
    mkdirSync(join(data, "users"), { recursive: true });
    const file = join(data, "users", "U1.json");
    writeFileSync(file, "{ not json");
    const { code, stderr } = await runScript("src/main.ts", [], {
      cwd,
      env: { DATA_DIR: data, SLACK_BOT_TOKEN: "xoxb-test", SLACK_SIGNING_SECRET: "s", SLACK_API_URL: "http://127.0.0.1:9/api/", PORT: "0" },
    });
    expect(code).toBe(1);
    expect(stderr).toContain(file);
    expect(stderr).toContain("corrupt");
    expect(readFileSync(file, "utf8")).toBe("{ not json");
  });

  it("reports invalid settings without echoing their values", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "start-"));
    const { code, stderr } = await runScript("src/main.ts", [], { cwd, env: { OPENAI_BASE_URL: "not a url sk-secret", PORT: "99999" } });
    expect(code).toBe(1);
    expect(stderr).toContain("OPENAI_BASE_URL");
    expect(stderr).toContain("PORT");
    expect(stderr).not.toContain("sk-secret");
  });
});
