import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, missingSlackVariables } from "../../src/config.js";
import { tmpdir } from "node:os";
import { runScript } from "../support/run.js";

const KEY = randomBytes(32).toString("base64");
const OAUTH = { SLACK_CLIENT_ID: "1111.2222", SLACK_CLIENT_SECRET: "client-secret-value", SLACK_STATE_SECRET: "state-secret-value", TOKEN_ENCRYPTION_KEY: KEY };

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("the configuration was accepted");
}

describe("Slack mode configuration: one bot token, or OAuth for many workspaces", () => {
  it("OAuth mode: client id, secret and state secret without a bot token; the key decoded to 32 bytes", () => {
    const config = loadConfig({ ...OAUTH, SLACK_SIGNING_SECRET: "s" });
    expect(config.slack.oauth).toMatchObject({ clientId: "1111.2222", clientSecret: "client-secret-value", stateSecret: "state-secret-value" });
    expect(config.slack.oauth!.tokenEncryptionKey.equals(Buffer.from(KEY, "base64"))).toBe(true);
    expect(missingSlackVariables(config)).toEqual([]);
  });

  it("single-workspace mode is unchanged: no OAuth settings", () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" });
    expect(config.slack.oauth).toBeUndefined();
    expect(missingSlackVariables(config)).toEqual([]);
  });

  it("both modes at once is refused, naming both sides and never a value", () => {
    const message = problems({ ...OAUTH, SLACK_BOT_TOKEN: "xoxb-secret-bot-token" });
    expect(message).toContain("SLACK_BOT_TOKEN");
    expect(message).toContain("SLACK_CLIENT_ID");
    expect(message).toMatch(/choose one mode/);
    for (const value of ["xoxb-secret-bot-token", "client-secret-value", "state-secret-value", KEY]) expect(message).not.toContain(value);
  });

  it("half of OAuth names what is missing", () => {
    const message = problems({ SLACK_CLIENT_ID: "1111.2222", SLACK_CLIENT_SECRET: "x" });
    expect(message).toContain("SLACK_STATE_SECRET is missing");
    expect(message).not.toContain("SLACK_CLIENT_SECRET is");
    expect(problems({ SLACK_STATE_SECRET: "x" })).toContain("SLACK_CLIENT_ID, SLACK_CLIENT_SECRET are missing");
  });

  it("OAuth mode without TOKEN_ENCRYPTION_KEY, or with a key of the wrong length, says how to make one", () => {
    const { TOKEN_ENCRYPTION_KEY: _key, ...withoutKey } = OAUTH;
    expect(problems(withoutKey)).toContain("TOKEN_ENCRYPTION_KEY is required");
    for (const bad of [randomBytes(16).toString("base64"), randomBytes(33).toString("base64"), "not base64 at all!", "a".repeat(44)]) {
      const message = problems({ ...OAUTH, TOKEN_ENCRYPTION_KEY: bad });
      expect(message).toContain("TOKEN_ENCRYPTION_KEY must be 32 random bytes");
      expect(message).toContain("openssl rand -base64 32");
      expect(message).not.toContain(bad);
    }
  });

  it("without a bot token or OAuth, npm start names both ways to configure Slack", () => {
    expect(missingSlackVariables(loadConfig({})).join(" ")).toMatch(/SLACK_BOT_TOKEN.*SLACK_CLIENT_ID/);
  });

  it("the app refuses to start with both modes set, with the message and exit code 1", async () => {
    const { code, stderr } = await runScript("src/main.ts", [], { cwd: tmpdir(), env: { ...OAUTH, SLACK_BOT_TOKEN: "xoxb-x", SLACK_SIGNING_SECRET: "s" } });
    expect(code).toBe(1);
    expect(stderr).toContain("choose one mode");
    expect(stderr).not.toContain("xoxb-x");
  });
});
