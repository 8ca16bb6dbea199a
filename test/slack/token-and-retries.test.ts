import { WebClient } from "@slack/web-api";
import { afterEach, describe, expect, it } from "vitest";
import { startTestApp } from "../support/app.js";
import { startFakeSlack, type FakeSlack } from "../support/fake-slack.js";
import { SlackPeople } from "../../src/slack/schedule/people.js";
import { deliveryClient } from "../../src/slack/schedule/feature.js";
import { loadConfig } from "../../src/config.js";

let slack: FakeSlack | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

describe("Slack tokens and transient errors", () => {
  it.each(["invalid_auth", "token_revoked", "account_inactive"])("stops start-up once, clearly, when auth.test says %s", async (error) => {
    slack = await startFakeSlack();
    slack.failNext("auth.test", { kind: "error", error });
    const started = Date.now();
    const failure = await startTestApp({ slack }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(failure?.name).toBe("SlackTokenError");
    expect(failure?.message).toContain(`SLACK_BOT_TOKEN (${error})`);
    expect(failure?.message).toContain("OAuth & Permissions");
    expect(slack.callsTo("auth.test")).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("says Slack could not be reached (not a retry loop) when the API host is down", async () => {
    const failure = await startTestApp({ env: { SLACK_API_URL: "http://127.0.0.1:9/api/" } }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(failure?.name).toBe("SlackTokenError");
    expect(failure?.message).toContain("Could not reach Slack at http://127.0.0.1:9/api/");
  }, 60_000);

  it("retries a transient users.info failure, so a real admin stays an admin", async () => {
    slack = await startFakeSlack();
    slack.users.set("UADMIN1", { is_admin: true });
    slack.failNext("users.info", { kind: "error", error: "internal_error" });
    slack.failNext("users.info", { kind: "rate-limit", retryAfterSeconds: 0 });
    const config = loadConfig({ SLACK_BOT_TOKEN: "xoxb-x", SLACK_SIGNING_SECRET: "s", SLACK_API_URL: slack.apiUrl });
    const people = new SlackPeople(deliveryClient(config));
    expect(await people.isWorkspaceAdmin("UADMIN1")).toBe(true);
    expect(slack.callsTo("users.info")).toHaveLength(3);
  });

  it("does not retry a real answer (user_not_found)", async () => {
    slack = await startFakeSlack();
    slack.failNext("users.info", { kind: "error", error: "user_not_found" });
    const people = new SlackPeople(new WebClient("xoxb-x", { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }));
    await expect(people.isWorkspaceAdmin("UGONE")).rejects.toThrow(/user_not_found/);
    expect(slack.callsTo("users.info")).toHaveLength(1);
  });
});

describe("Socket Mode with a wrong app-level token", () => {
  it("stops start-up with one message naming SLACK_APP_TOKEN and what to do", async () => {
    slack = await startFakeSlack();
    slack.failNext("apps.connections.open", { kind: "error", error: "invalid_auth" });
    const failure = await startTestApp({ slack, env: { SLACK_APP_TOKEN: "xapp-wrong" } }).then(
      (app) => app.close().then(() => undefined),
      (e: Error) => e,
    );
    expect(failure?.name).toBe("SlackTokenError");
    expect(failure?.message).toContain("SLACK_APP_TOKEN (invalid_auth)");
    expect(failure?.message).toContain("connections:write");
    expect(slack.callsTo("apps.connections.open")).toHaveLength(1);
  }, 30_000);
});
