/**
 * A local stand-in for the OpenAI Chat Completions API (POST /v1/chat/completions) on 127.0.0.1.
 * Each request takes the next queued behaviour; with an empty queue it answers "smart": a valid
 * critique for whatever rubric the request's response_format names, quoting a real sentence of
 * the delimited answer. Used by the grading tests, the end-to-end tests and the benchmark.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ChatMessage {
  role: string;
  content: string | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (undefined when the body was not JSON). */
  body: any;
  rawBody: string;
}

/** The critique fields the smart behaviour produces (the critic's response format); `tweak` may rewrite them. */
export interface SmartCritique {
  relevance: { reason: string; addresses_question: boolean };
  corrections: { quote: string; claim: string; correction: string; dimension: string }[];
  dimensions: Record<string, { evidence_quote: string; justification: string; score: number }>;
  strengths: string[];
  missed_key_points: string[];
  follow_up_feedback: { added: string[]; still_missing: string[] } | null;
  follow_up: string;
  injection_suspected: boolean;
}

export type FakeBehaviour =
  /** Build a valid critique from the request; `tweak` edits it (e.g. invent a quote). */
  | { kind: "smart"; score?: number; tweak?: (critique: SmartCritique, request: RecordedRequest) => unknown }
  /** Reply 200 with this value JSON-encoded as the message content. */
  | { kind: "json"; content: unknown }
  /** Reply 200 with this exact message content (e.g. malformed JSON). */
  | { kind: "raw"; content: string | null; finishReason?: string }
  /** Reply 200 with a refusal message and no content. */
  | { kind: "refusal"; refusal?: string }
  /** Reply 429 with Retry-After (seconds, rounded up) and retry-after-ms; or only Retry-After in seconds. */
  | { kind: "rate-limit"; retryAfterMs?: number; retryAfterSeconds?: number }
  /** Reply 200 and stream a body of this many bytes, without a content-length (a runaway server). */
  | { kind: "huge"; bytes: number }
  /** Reply with an error status (500 by default). */
  | { kind: "error"; status?: number; message?: string }
  /** Accept the request and never answer (until close): the client's timeout must fire. */
  | { kind: "hang" };

export interface FakeOpenAI {
  /** Base URL ending in /v1, for OPENAI_BASE_URL / the client's baseURL. */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Queue behaviours for the next requests, in order. */
  enqueue(...behaviours: FakeBehaviour[]): void;
  /** Forgets queued behaviours and recorded requests (between tests). */
  reset(): void;
  /** Artificial latency before every answer, in ms (the benchmark uses ~1000). */
  setLatency(ms: number): void;
  close(): Promise<void>;
}

export interface FakeOpenAIOptions {
  latencyMs?: number;
  /** Score every dimension gets in the smart behaviour (default 3). */
  smartScore?: number;
  /** When set, requests without `Authorization: Bearer <requireApiKey>` get a 401, like the real API. */
  requireApiKey?: string;
}

const ANSWER_BLOCK = /<<<ANSWER-([0-9a-zA-Z]+)>>>\n([\s\S]*?)\n<<<END-ANSWER-\1>>>/;
const ANSWERS_A_PROBE = /Follow-up probe this answer responds to:\n<<<PROBE-/;

/** Finds the rubric ids: the keys of the `dimensions` object, each of which has a `score`. */
export function dimensionIdsFromSchema(schema: unknown): string[] {
  const dims = (schema as { properties?: { dimensions?: { properties?: Record<string, any> } } })?.properties?.dimensions?.properties;
  return dims ? Object.keys(dims).filter((id) => dims[id]?.properties?.score) : [];
}

/** The candidate's answer as the client delimited it in the user message ("" when absent). */
export function delimitedAnswer(body: any): string {
  const messages: ChatMessage[] = Array.isArray(body?.messages) ? body.messages : [];
  for (const m of messages) {
    if (m.role !== "user" || typeof m.content !== "string") continue;
    const match = ANSWER_BLOCK.exec(m.content);
    if (match) return match[2]!;
  }
  return "";
}

function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.split(/\s+/).length >= 3);
}

export function smartCritique(request: RecordedRequest, score = 3): SmartCritique {
  const ids = dimensionIdsFromSchema(request.body?.response_format?.json_schema?.schema);
  const answer = delimitedAnswer(request.body);
  const sentences = sentencesOf(answer);
  const injection = /ignore (all |any )?(previous|prior|above) instructions|give (me|this answer) (a )?4/i.test(answer);
  const user = (request.body?.messages ?? []).find((m: ChatMessage) => m.role === "user")?.content ?? "";
  return {
    relevance: { reason: "Fake critic: the answer is taken to address the question.", addresses_question: true },
    corrections: [],
    dimensions: Object.fromEntries(
      ids.map((id, i) => [
        id,
        {
          evidence_quote: sentences.length > 0 ? sentences[i % sentences.length]! : "",
          justification: `Fake critic: ${id} judged from ${sentences.length} sentence(s).`,
          score,
        },
      ]),
    ),
    strengths: sentences.length > 0 ? ["Addresses the question directly."] : [],
    missed_key_points: ["Quantify the impact with a metric."],
    follow_up_feedback: ANSWERS_A_PROBE.test(user) ? { added: ["Answers the probe."], still_missing: ["Numbers."] } : null,
    follow_up: "What would you measure first, and why?",
    injection_suspected: injection,
  };
}

function completionBody(model: string, content: string | null, extra: { refusal?: string | null; finishReason?: string } = {}) {
  return {
    id: `chatcmpl-fake-${Math.random().toString(36).slice(2, 10)}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal: extra.refusal ?? null },
        logprobs: null,
        finish_reason: extra.finishReason ?? "stop",
      },
    ],
    usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  const queue: FakeBehaviour[] = [];
  let latencyMs = options.latencyMs ?? 0;
  const pending = new Set<NodeJS.Timeout>();

  const respond = (behaviour: FakeBehaviour, recorded: RecordedRequest, res: ServerResponse) => {
    const model = typeof recorded.body?.model === "string" ? recorded.body.model : "fake-model";
    switch (behaviour.kind) {
      case "smart": {
        const critique = smartCritique(recorded, behaviour.score ?? options.smartScore ?? 3);
        const content = behaviour.tweak ? (behaviour.tweak(critique, recorded) ?? critique) : critique;
        return sendJson(res, 200, completionBody(model, JSON.stringify(content)));
      }
      case "json":
        return sendJson(res, 200, completionBody(model, JSON.stringify(behaviour.content)));
      case "raw":
        return sendJson(res, 200, completionBody(model, behaviour.content, behaviour.finishReason ? { finishReason: behaviour.finishReason } : {}));
      case "refusal":
        return sendJson(res, 200, completionBody(model, null, { refusal: behaviour.refusal ?? "I'm sorry, I can't help with that." }));
      case "rate-limit": {
        if (behaviour.retryAfterSeconds !== undefined) {
          return sendJson(res, 429, { error: { message: "Rate limit reached (fake)", type: "requests", param: null, code: "rate_limit_exceeded" } }, {
            "retry-after": String(behaviour.retryAfterSeconds),
          });
        }
        const ms = behaviour.retryAfterMs ?? 10;
        return sendJson(
          res,
          429,
          { error: { message: "Rate limit reached (fake)", type: "requests", param: null, code: "rate_limit_exceeded" } },
          { "retry-after": String(Math.ceil(ms / 1000)), "retry-after-ms": String(ms) },
        );
      }
      case "error": {
        const status = behaviour.status ?? 500;
        return sendJson(res, status, { error: { message: behaviour.message ?? "The server had an error (fake)", type: "server_error", param: null, code: null } });
      }
      case "huge": {
        res.writeHead(200, { "content-type": "application/json" });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let left = behaviour.bytes;
        res.write('{"id":"x","choices":[{"message":{"content":"');
        const pump = () => {
          while (left > 0 && !res.destroyed) {
            left -= chunk.length;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
          if (!res.destroyed) res.end('"}}]}');
        };
        res.on("close", () => (left = 0));
        return pump();
      }
      case "hang":
        return; // never answer; close() tears the socket down
    }
  };

  const server = createServer(async (req, res) => {
    const rawBody = await readBody(req);
    let body: any;
    try {
      body = JSON.parse(rawBody);
    } catch {
      body = undefined;
    }
    const recorded: RecordedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, rawBody };
    requests.push(recorded);
    if (req.method !== "POST" || !req.url?.startsWith("/v1/chat/completions")) {
      return sendJson(res, 404, { error: { message: `fake OpenAI: no route ${req.method} ${req.url}`, type: "invalid_request_error" } });
    }
    if (options.requireApiKey !== undefined && req.headers.authorization !== `Bearer ${options.requireApiKey}`) {
      return sendJson(res, 401, { error: { message: "Incorrect API key provided (fake)", type: "invalid_request_error", param: null, code: "invalid_api_key" } });
    }
    const behaviour = queue.shift() ?? { kind: "smart" };
    if (behaviour.kind === "hang") return;
    if (latencyMs > 0) {
      const timer = setTimeout(() => {
        pending.delete(timer);
        if (!res.destroyed) respond(behaviour, recorded, res);
      }, latencyMs);
      pending.add(timer);
    } else respond(behaviour, recorded, res);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...behaviours) => void queue.push(...behaviours),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    setLatency: (ms) => void (latencyMs = ms),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of pending) clearTimeout(t);
        pending.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
