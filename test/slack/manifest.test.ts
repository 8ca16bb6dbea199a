import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { App } from "@slack/bolt";
import { registerListeners } from "../../src/slack/listeners/index.js";
import { ACTION_IDS, VIEW_IDS } from "../../src/slack/blocks/action-ids.js";
import type { WorkspaceDirectory } from "../../src/slack/workspaces.js";
import { BOT_SCOPES, REDIRECT_PATH } from "../../src/slack/oauth/scopes.js";

const read = (file: string) => JSON.parse(readFileSync(new URL(`../../${file}`, import.meta.url), "utf8"));
/** HTTP mode (needs a public URL) and Socket Mode (no URL): both are pasted as they are. */
const MANIFESTS = { "manifest.json": read("manifest.json"), "manifest.socket.json": read("manifest.socket.json") } as const;

/** Records what the listeners register on Bolt's App, without starting one. */
function registrations() {
  const seen = { commands: [] as string[], events: [] as string[], actions: [] as string[], views: [] as string[] };
  const recorder = {
    command: (name: string) => seen.commands.push(name),
    event: (name: string) => seen.events.push(name),
    action: (id: string) => seen.actions.push(id),
    view: (id: string) => seen.views.push(id),
    message: () => undefined,
    error: () => undefined,
  };
  registerListeners(recorder as unknown as App, {} as WorkspaceDirectory);
  return seen;
}

/** The bot events (and the scope each needs) that deliver a listener's event type. */
const EVENT_SUBSCRIPTIONS: Record<string, [event: string, scope?: string][]> = {
  message: [
    ["message.im", "im:history"],
    ["message.channels", "channels:history"],
    ["message.groups", "groups:history"],
    ["message.mpim", "mpim:history"],
  ],
  app_home_opened: [["app_home_opened"]],
  user_change: [["user_change", "users:read"]],
  app_uninstalled: [["app_uninstalled"]],
  tokens_revoked: [["tokens_revoked"]],
};

/** Every key that holds a URL Slack would call, with its path in the manifest. */
function urls(value: unknown, path = ""): [string, string][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => urls(v, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => (k === "url" || k === "request_url" ? [[`${path}.${k}`, String(v)] as [string, string]] : urls(v, `${path}.${k}`)));
}

describe("the two manifests differ only in how Slack reaches the app", () => {
  it("HTTP mode: every command, event and interaction goes to /slack/events; Socket Mode off", () => {
    const http = MANIFESTS["manifest.json"];
    expect(http.settings.socket_mode_enabled).toBe(false);
    const found = urls(http);
    expect(found.map(([p]) => p).sort()).toEqual([".features.slash_commands[0].url", ".settings.event_subscriptions.request_url", ".settings.interactivity.request_url"]);
    for (const [, url] of found) expect(url).toMatch(/^https:\/\/[^/]+\/slack\/events$/);
  });

  it("Socket Mode: no URL anywhere (Slack refuses them with socket mode on) and otherwise the same app", () => {
    const socket = MANIFESTS["manifest.socket.json"];
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(urls(socket)).toEqual([]);
    const withoutUrls = JSON.parse(JSON.stringify(MANIFESTS["manifest.json"], (k, v) => (k === "url" || k === "request_url" ? undefined : v)));
    withoutUrls.settings.socket_mode_enabled = true;
    expect(socket).toEqual(withoutUrls);
  });
});

describe.each(Object.entries(MANIFESTS))("%s mirrors the app", (_file, manifest) => {
  const seen = registrations();
  const botEvents: string[] = manifest.settings.event_subscriptions.bot_events;
  const scopes: string[] = manifest.oauth_config.scopes.bot;

  it("declares every slash command the app handles", () => {
    const declared = manifest.features.slash_commands.map((c: { command: string }) => c.command);
    expect(seen.commands.length).toBeGreaterThan(0);
    for (const command of seen.commands) expect(declared).toContain(command);
    expect(scopes).toContain("commands");
  });

  it("subscribes to every event the app listens to, with the scopes those events need", () => {
    for (const event of seen.events) {
      const subscriptions = EVENT_SUBSCRIPTIONS[event];
      expect(subscriptions, `no manifest mapping known for ${event}`).toBeDefined();
      for (const [botEvent, scope] of subscriptions!) {
        expect(botEvents).toContain(botEvent);
        if (scope) expect(scopes).toContain(scope);
      }
    }
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });

  it("enables interactivity for every action and view id, all of which come from the shared list", () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(seen.actions.sort()).toEqual(Object.values(ACTION_IDS).sort());
    expect(seen.views.sort()).toEqual(Object.values(VIEW_IDS).sort());
  });

  it("grants the Web API scopes the app calls", () => {
    for (const scope of ["chat:write", "im:write", "reactions:write", "users:read"]) expect(scopes).toContain(scope);
  });

  it("asks for the same bot scopes when installed through OAuth, and redirects to the app's OAuth route", () => {
    expect([...BOT_SCOPES].sort()).toEqual([...scopes].sort());
    const redirects: string[] = manifest.oauth_config.redirect_urls;
    expect(redirects.length).toBeGreaterThan(0);
    for (const url of redirects) expect(new URL(url).pathname).toBe(REDIRECT_PATH);
  });
});
