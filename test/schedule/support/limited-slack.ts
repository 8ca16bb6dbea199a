/**
 * A rate-limiting fake of the Slack Web API methods scheduled delivery uses, on 127.0.0.1:
 * conversations.open, chat.postMessage (with message metadata), conversations.history, users.info.
 * Limits: `postPerSecond` chat.postMessage calls workspace-wide (counted per 100 ms window, so a burst
 * is limited too) and one per second per channel, `openPerSecond` conversations.open calls; beyond
 * that HTTP 429 with `Retry-After: 1`.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface PostedRecord {
  channel: string;
  ts: string;
  token?: string;
  slot?: string;
}

export interface LimitedSlack {
  apiUrl: string;
  posts: PostedRecord[];
  counts: { postMessage: number; open: number; history: number; usersInfo: number; rateLimited: number };
  zones: Map<string, string>;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  if (req.headers["content-type"]?.includes("json")) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    try {
      args[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    } catch {
      args[k] = v;
    }
  }
  return args;
}

/** A fixed-window counter; 100 ms windows make bursts hit the limit as they do on Slack. */
class Window {
  private window = 0;
  private count = 0;
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}
  take(): boolean {
    const now = Math.floor(Date.now() / this.windowMs);
    if (now !== this.window) {
      this.window = now;
      this.count = 0;
    }
    if (this.count >= this.limit) return false;
    this.count += 1;
    return true;
  }
}

export async function startLimitedSlack(options: { postPerSecond: number; openPerSecond: number; latencyMs: number }): Promise<LimitedSlack> {
  const posts: PostedRecord[] = [];
  const counts = { postMessage: 0, open: 0, history: 0, usersInfo: 0, rateLimited: 0 };
  const zones = new Map<string, string>();
  const postWindow = new Window(Math.max(1, Math.round(options.postPerSecond / 10)), 100);
  const openWindow = new Window(Math.max(1, Math.round(options.openPerSecond / 10)), 100);
  const channelLast = new Map<string, number>();
  let seq = 0;

  const server = createServer(async (req, res) => {
    const args = await body(req);
    const method = (req.url ?? "").replace(/^\/api\//, "").split("?")[0]!;
    await new Promise((r) => setTimeout(r, options.latencyMs));
    res.setHeader("content-type", "application/json");
    const limited = () => {
      counts.rateLimited += 1;
      res.statusCode = 429;
      res.setHeader("retry-after", "1");
      res.end(JSON.stringify({ ok: false, error: "ratelimited" }));
    };
    switch (method) {
      case "conversations.open": {
        counts.open += 1;
        if (!openWindow.take()) return limited();
        return res.end(JSON.stringify({ ok: true, channel: { id: `D${String(args.users).slice(1)}` } }));
      }
      case "chat.postMessage": {
        counts.postMessage += 1;
        const channel = String(args.channel);
        const last = channelLast.get(channel) ?? 0;
        if (Date.now() - last < 1000 || !postWindow.take()) return limited();
        channelLast.set(channel, Date.now());
        const ts = `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, "0")}`;
        const payload = (args.metadata as { event_payload?: { token?: string; slot?: string } } | undefined)?.event_payload;
        posts.push({ channel, ts, token: payload?.token, slot: payload?.slot });
        return res.end(JSON.stringify({ ok: true, channel, ts }));
      }
      case "conversations.history": {
        counts.history += 1;
        const messages = posts
          .filter((p) => p.channel === args.channel)
          .map((p) => ({ ts: p.ts, metadata: { event_type: "interview_daily_question", event_payload: { token: p.token, slot: p.slot } } }));
        return res.end(JSON.stringify({ ok: true, messages, has_more: false }));
      }
      case "users.info": {
        counts.usersInfo += 1;
        const id = String(args.user);
        return res.end(JSON.stringify({ ok: true, user: { id, tz: zones.get(id) ?? "UTC" } }));
      }
      default:
        return res.end(JSON.stringify({ ok: true }));
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    posts,
    counts,
    zones,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
