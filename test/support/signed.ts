import { createHmac } from "node:crypto";

export const TEST_SIGNING_SECRET = "test-signing-secret-0123456789abcdef";

/** Slack's v0 request signature over `v0:<timestamp>:<raw body>`. */
export function sign(body: string, timestamp: number, secret = TEST_SIGNING_SECRET): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export interface SignedOptions {
  timestamp?: number;
  secret?: string;
  /** Replace the signature (forgery tests). */
  signature?: string;
  /** Extra headers, e.g. Slack's `x-slack-retry-num` on a redelivery. */
  headers?: Record<string, string>;
}

/** POSTs a body to the app exactly as Slack does: raw body, X-Slack-Request-Timestamp and X-Slack-Signature. */
export async function postSigned(url: string, body: string, contentType: string, options: SignedOptions = {}): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": options.signature ?? sign(body, timestamp, options.secret),
      ...options.headers,
    },
    body,
  });
}

/** A slash command invocation (form-encoded, as Slack sends it). */
export function slashCommandBody(fields: {
  text: string;
  userId: string;
  channelId: string;
  channelName?: string;
  responseUrl: string;
  command?: string;
  /** The workspace it comes from (default T0001). */
  teamId?: string;
}): string {
  return new URLSearchParams({
    token: "deprecated-verification-token",
    team_id: fields.teamId ?? "T0001",
    team_domain: "fake",
    channel_id: fields.channelId,
    channel_name: fields.channelName ?? (fields.channelId.startsWith("D") ? "directmessage" : "practice"),
    user_id: fields.userId,
    user_name: fields.userId.toLowerCase(),
    command: fields.command ?? "/interview",
    text: fields.text,
    api_app_id: "A0001",
    is_enterprise_install: "false",
    response_url: fields.responseUrl,
    trigger_id: `trigger-${Date.now()}`,
  }).toString();
}

/** An Events API envelope (JSON), from workspace `teamId` (default T0001). */
export function eventBody(event: Record<string, unknown>, { teamId = "T0001", botUserId = "UBOT0001" } = {}): string {
  return JSON.stringify({
    token: "deprecated-verification-token",
    team_id: teamId,
    api_app_id: "A0001",
    event: { event_ts: String(Date.now() / 1000), ...event },
    type: "event_callback",
    event_id: `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: teamId, user_id: botUserId, is_bot: true }],
  });
}

/** An interactivity payload (form-encoded `payload=<json>`) for a block button click. */
export function blockActionBody(fields: {
  userId: string;
  channelId: string;
  messageTs: string;
  threadTs?: string;
  actionId: string;
  value: string;
  responseUrl: string;
}): string {
  const payload = {
    type: "block_actions",
    team: { id: "T0001", domain: "fake" },
    user: { id: fields.userId, username: fields.userId.toLowerCase(), team_id: "T0001" },
    api_app_id: "A0001",
    token: "deprecated-verification-token",
    container: { type: "message", message_ts: fields.messageTs, channel_id: fields.channelId, is_ephemeral: false, thread_ts: fields.threadTs },
    trigger_id: `trigger-${Date.now()}`,
    channel: { id: fields.channelId, name: "practice" },
    message: { type: "message", ts: fields.messageTs, thread_ts: fields.threadTs, text: "", user: "UBOT0001", bot_id: "BBOT0001" },
    response_url: fields.responseUrl,
    actions: [
      { action_id: fields.actionId, block_id: "b1", text: { type: "plain_text", text: "x" }, value: fields.value, type: "button", action_ts: String(Date.now() / 1000) },
    ],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
