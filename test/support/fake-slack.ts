import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";

/** One Web API call (or response_url post) as Slack would have received it. */
export interface SlackCall {
  method: string;
  /** The URL called (response_url posts are told apart by it). */
  url?: string;
  args: Record<string, unknown>;
  token?: string;
  at: number;
  /** What the fake answered (e.g. the `ts` of a posted message). */
  response?: Record<string, unknown>;
}

type Behaviour =
  | { kind: "error"; error: string; status?: number }
  | { kind: "rate-limit"; retryAfterSeconds: number }
  /** Holds the request this long before answering normally (a slow or stuck Slack). */
  | { kind: "delay"; ms: number };

/** A message posted through chat.postMessage, as conversations.replies returns it. */
export interface PostedMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

/** What an installer grants when Slack redirects back with `code` (oauth.v2.access's answer). */
export interface OAuthGrant {
  teamId: string;
  teamName?: string;
  /** Org-wide install: the enterprise's id, and no team. */
  enterprise?: { id: string; name: string };
  isEnterpriseInstall?: boolean;
  botToken: string;
  botUserId?: string;
  botId?: string;
  scopes?: string[];
  installerUserId?: string;
  /** A user token too (user scopes). */
  userToken?: string;
}

export interface FakeSlack {
  /**
   * OAuth: the app credentials oauth.v2.access accepts and the codes it exchanges, each once (Slack's
   * codes are single-use). Exchanging a code registers its bot token, so auth.test answers for it.
   */
  oauth: { clientId: string; clientSecret: string; grants: Map<string, OAuthGrant> };
  /** Who each token belongs to, as auth.test reports it (tokens not listed answer as the default bot of T0001). */
  tokens: Map<string, { teamId: string; userId: string; botId: string; enterpriseId?: string }>;
  /** Base URL for the app's SLACK_API_URL (ends with `/api/`). */
  apiUrl: string;
  /** Base for response_url values in signed command/action payloads. */
  responseUrl(id?: string): string;
  calls: SlackCall[];
  callsTo(method: string): SlackCall[];
  /** The next `times` calls to `method` fail this way (Slack's real error shapes). */
  failNext(method: string, behaviour: Behaviour, times?: number): void;
  /** Every call to `method` whose args match `when` behaves this way, until the returned function is called. */
  failWhen(method: string, when: (args: Record<string, unknown>) => boolean, behaviour: Behaviour): () => void;
  /** Per-user profile fields returned by users.info (tz etc.). */
  users: Map<string, Record<string, unknown>>;
  /** Every message posted, kept across app restarts (conversations.replies and .history read them, metadata included). */
  messages: PostedMessage[];
  waitFor(predicate: (calls: SlackCall[]) => boolean, timeoutMs?: number): Promise<SlackCall[]>;
  /** Every mrkdwn string the app sent with a `<` that is not a Slack token (a vanished placeholder, unescaped text). */
  strayMarkup(): StrayMarkup[];
  /** Socket Mode connections open now (apps.connections.open hands out a WebSocket URL on this fake). */
  socketConnections(): number;
  /** Stops the server; rejects when the app sent stray markup, so every suite using the fake checks it. */
  close(): Promise<void>;
}

export interface StrayMarkup {
  method: string;
  /** Where in the request body, e.g. `blocks[2].text.text`. */
  path: string;
  text: string;
}

/** What Slack itself reads between `<` and `>`: mentions, channel links, special mentions, dates, URLs. */
const SLACK_TOKEN = /^<(?:@[UW][A-Z0-9]+|#[CG][A-Z0-9]+|!(?:here|channel|everyone)|!subteam\^[A-Z0-9]+|!date\^[^>|]+|(?:https?|mailto):[^>\s|]+)(?:\|[^<>]*)?>/;

/** Methods whose bodies Slack renders as mrkdwn (response_url posts are chat messages too). */
const MRKDWN_METHODS = new Set(["chat.postMessage", "chat.postEphemeral", "chat.update", "chat.scheduleMessage", "views.publish", "views.open", "views.update", "views.push", "response_url"]);

function strayIn(text: string): boolean {
  for (let i = text.indexOf("<"); i !== -1; i = text.indexOf("<", i + 1)) {
    if (!SLACK_TOKEN.test(text.slice(i))) return true;
  }
  return false;
}

/** Walks a request body for mrkdwn: top-level `text` (unless mrkdwn: false) and every `{ type: "mrkdwn", text }` object. */
function findStrayMarkup(method: string, args: Record<string, unknown>): StrayMarkup[] {
  const found: StrayMarkup[] = [];
  if (typeof args.text === "string" && args.mrkdwn !== false && strayIn(args.text)) found.push({ method, path: "text", text: args.text });
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${path}[${i}]`));
    if (value === null || typeof value !== "object") return;
    const object = value as Record<string, unknown>;
    if (object.type === "mrkdwn" && typeof object.text === "string" && strayIn(object.text)) found.push({ method, path, text: object.text });
    for (const [key, child] of Object.entries(object)) walk(child, `${path}.${key}`);
  };
  walk(args.blocks, "blocks");
  walk(args.attachments, "attachments");
  walk(args.view, "view");
  return found;
}

const BOT_USER_ID = "UBOT0001";
const BOT_ID = "BBOT0001";

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Slack's Web API sends form-encoded args with nested objects as JSON strings; accept both shapes. */
function parseArgs(body: string, contentType: string | undefined): Record<string, unknown> {
  if (!body) return {};
  if (contentType?.includes("application/json")) return JSON.parse(body) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    if (/^[[{]/.test(value)) {
      try {
        args[key] = JSON.parse(value);
        continue;
      } catch {
        // not JSON: keep the string
      }
    }
    args[key] = value;
  }
  return args;
}

/**
 * A local stand-in for Slack's Web API on 127.0.0.1, speaking its real protocol: POST /api/<method>
 * with a bearer token, `{ ok: true, … }` or `{ ok: false, error }`, and 429 with Retry-After.
 */
export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const stray: StrayMarkup[] = [];
  const behaviours = new Map<string, Behaviour[]>();
  const rules = new Set<{ method: string; when: (args: Record<string, unknown>) => boolean; behaviour: Behaviour }>();
  const users = new Map<string, Record<string, unknown>>();
  const messages: PostedMessage[] = [];
  let tsCounter = 1_700_000_000_000_100;
  const nextTs = () => {
    tsCounter += 100;
    const s = String(tsCounter);
    return `${s.slice(0, 10)}.${s.slice(10)}`;
  };
  const waiters = new Set<() => void>();
  // Socket Mode: apps.connections.open returns this WebSocket endpoint, which greets every client with
  // Slack's "hello" (ws answers the client's pings itself).
  const sockets = new WebSocketServer({ noServer: true });
  sockets.on("connection", (socket) => socket.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A0FAKE" } })));
  let socketUrl = "";

  const oauth = { clientId: "1111.2222", clientSecret: "fake-client-secret", grants: new Map<string, OAuthGrant>() };
  const tokens: FakeSlack["tokens"] = new Map();

  /** oauth.v2.access as Slack answers it: https://api.slack.com/methods/oauth.v2.access */
  const exchange = (args: Record<string, unknown>): Record<string, unknown> => {
    if (args.client_id !== oauth.clientId) return { ok: false, error: "invalid_client_id" };
    if (args.client_secret !== oauth.clientSecret) return { ok: false, error: "bad_client_secret" };
    const grant = oauth.grants.get(String(args.code ?? ""));
    if (!grant) return { ok: false, error: "invalid_code" };
    oauth.grants.delete(String(args.code));
    const botUserId = grant.botUserId ?? `UBOT${grant.teamId}`;
    const botId = grant.botId ?? `B${grant.teamId}`;
    tokens.set(grant.botToken, { teamId: grant.teamId, userId: botUserId, botId, enterpriseId: grant.enterprise?.id });
    const installer = grant.installerUserId ?? "UINSTALLER";
    return {
      ok: true,
      access_token: grant.botToken,
      token_type: "bot",
      scope: (grant.scopes ?? ["commands", "chat:write"]).join(","),
      bot_user_id: botUserId,
      app_id: "A0001",
      team: grant.isEnterpriseInstall ? null : { id: grant.teamId, name: grant.teamName ?? grant.teamId },
      enterprise: grant.enterprise ?? null,
      is_enterprise_install: Boolean(grant.isEnterpriseInstall),
      authed_user: grant.userToken
        ? { id: installer, scope: "chat:write", access_token: grant.userToken, token_type: "user" }
        : { id: installer },
    };
  };

  const respond = (method: string, args: Record<string, unknown>, token: string | undefined): Record<string, unknown> => {
    switch (method) {
      case "apps.connections.open":
        return { ok: true, url: socketUrl };
      case "oauth.v2.access":
        return exchange(args);
      case "auth.test": {
        const known = token ? tokens.get(token) : undefined;
        if (known) {
          return { ok: true, url: `https://${known.teamId.toLowerCase()}.slack.test/`, team: known.teamId, user: "coach", team_id: known.teamId, user_id: known.userId, bot_id: known.botId, ...(known.enterpriseId ? { enterprise_id: known.enterpriseId } : {}) };
        }
        return { ok: true, url: "https://fake.slack.test/", team: "Fake", user: "coach", team_id: "T0001", user_id: BOT_USER_ID, bot_id: BOT_ID };
      }
      case "chat.postMessage": {
        const ts = nextTs();
        messages.push({
          channel: String(args.channel),
          ts,
          thread_ts: args.thread_ts as string | undefined,
          text: args.text as string | undefined,
          metadata: args.metadata as PostedMessage["metadata"],
        });
        return { ok: true, channel: args.channel, ts, message: { ts, text: args.text, thread_ts: args.thread_ts, bot_id: BOT_ID } };
      }
      case "conversations.replies": {
        const thread = messages.filter((m) => m.channel === args.channel && (m.ts === args.ts || m.thread_ts === args.ts));
        const withMetadata = args.include_all_metadata === true || args.include_all_metadata === "true";
        return {
          ok: true,
          messages: thread.map((m) => ({ type: "message", ts: m.ts, thread_ts: m.thread_ts, text: m.text, bot_id: BOT_ID, ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}) })),
          has_more: false,
        };
      }
      case "conversations.history": {
        // Top-level messages of the channel, newest first (`oldest` is not applied: the fake's ts are not wall-clock times).
        const withMetadata = args.include_all_metadata === true || args.include_all_metadata === "true";
        const top = messages.filter((m) => m.channel === args.channel && (!m.thread_ts || m.thread_ts === m.ts)).reverse();
        return {
          ok: true,
          messages: top.map((m) => ({ type: "message", ts: m.ts, text: m.text, bot_id: BOT_ID, ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}) })),
          has_more: false,
        };
      }
      case "chat.postEphemeral":
        return { ok: true, message_ts: nextTs() };
      case "chat.update":
        return { ok: true, channel: args.channel, ts: args.ts };
      case "conversations.open":
        return { ok: true, channel: { id: `D${String(args.users ?? "X").replace(/^U/, "")}` } };
      case "users.info": {
        const id = String(args.user);
        return { ok: true, user: { id, name: id.toLowerCase(), tz: "America/Los_Angeles", is_bot: false, deleted: false, ...users.get(id) } };
      }
      default:
        return { ok: true };
    }
  };

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const isResponseUrl = url.pathname.startsWith("/response/");
    const method = isResponseUrl ? "response_url" : url.pathname.replace(/^\/api\//, "");
    const args = parseArgs(body, req.headers["content-type"]);
    const token = req.headers.authorization?.replace(/^Bearer /, "") ?? (args.token as string | undefined);
    const queue = behaviours.get(method);
    const rule = [...rules].find((r) => r.method === method && r.when(args));
    let behaviour = rule ? rule.behaviour : queue?.shift();
    if (behaviour?.kind === "delay") {
      await new Promise((resolve) => setTimeout(resolve, (behaviour as { ms: number }).ms));
      behaviour = undefined;
    }
    const response = behaviour ? undefined : isResponseUrl ? { ok: true } : respond(method, args, token);
    calls.push({ method, url: `${base}${url.pathname}`, args, token, at: Date.now(), response });
    if (MRKDWN_METHODS.has(method)) stray.push(...findStrayMarkup(method, args));
    for (const wake of waiters) wake();
    res.setHeader("content-type", "application/json");
    if (behaviour?.kind === "rate-limit") {
      res.statusCode = 429;
      res.setHeader("retry-after", String(behaviour.retryAfterSeconds));
      res.end(JSON.stringify({ ok: false, error: "ratelimited" }));
      return;
    }
    if (behaviour?.kind === "error") {
      res.statusCode = behaviour.status ?? 200;
      res.end(JSON.stringify({ ok: false, error: behaviour.error }));
      return;
    }
    res.end(JSON.stringify(response));
  });
  server.on("upgrade", (req, socket, head) => {
    if (req.url?.startsWith("/socket")) sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit("connection", ws, req));
    else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  socketUrl = `ws://127.0.0.1:${port}/socket`;

  return {
    apiUrl: `${base}/api/`,
    oauth,
    tokens,
    responseUrl: (id = String(Math.random()).slice(2)) => `${base}/response/${id}`,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    failNext(method, behaviour, times = 1) {
      const queue = behaviours.get(method) ?? [];
      for (let i = 0; i < times; i++) queue.push(behaviour);
      behaviours.set(method, queue);
    },
    failWhen(method, when, behaviour) {
      const rule = { method, when, behaviour };
      rules.add(rule);
      return () => rules.delete(rule);
    },
    users,
    messages,
    waitFor(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(calls)) {
            cleanup();
            resolve(calls);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`fake Slack: condition not met in ${timeoutMs} ms; calls: ${calls.map((c) => c.method).join(", ")}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    strayMarkup: () => [...stray],
    socketConnections: () => sockets.clients.size,
    async close() {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      if (stray.length > 0) {
        const list = stray.map((s) => `  ${s.method} ${s.path}: ${JSON.stringify(s.text.slice(0, 300))}`).join("\n");
        throw new Error(`fake Slack: the app sent mrkdwn with a "<" that is not a Slack token (escape it with escapeMrkdwn / mrkdwn):\n${list}`);
      }
    },
  };
}

export const FAKE_BOT = { userId: BOT_USER_ID, botId: BOT_ID };
