import type { WebClient } from "@slack/web-api";
import { DeliveryError, type Deliverer, type DeliveryRequest, type DeliveryTarget, type PostedMessage } from "../../engine/schedule/deliverer.js";
import { questionMessage } from "../blocks/question.js";
import { openDm, slackErrorCode } from "../conversations.js";
import { findTaggedMessage } from "../tagged-messages.js";

/** Metadata event type on scheduled questions; its payload carries the delivery token. */
export const DAILY_METADATA_EVENT = "interview_daily_question";

/**
 * Slack errors meaning the recipient cannot be reached any more (left, deactivated, DM closed,
 * channel archived or bot removed): retrying will not help, so the schedule is paused instead.
 */
export const RECIPIENT_GONE_CODES = new Set([
  "user_not_found",
  "users_not_found",
  "account_inactive",
  "user_disabled",
  "channel_not_found",
  "is_archived",
  "not_in_channel",
  "cannot_dm_bot",
  "messages_tab_disabled",
  "restricted_action",
  "team_access_not_granted",
]);

/** Platform errors where a later attempt may work. Any other `ok: false` error will fail again. */
const TRANSIENT_CODES = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited"]);

/** Maps whatever the Web API client threw to the engine's typed delivery errors. */
export function toDeliveryError(error: unknown): DeliveryError {
  const e = error as { code?: string; retryAfter?: number } | undefined;
  if (e?.code === "slack_webapi_rate_limited_error") {
    // Slack's 429s on chat.postMessage are per method and workspace (or per channel); we cannot tell
    // which from the response, so the whole delivery pipeline waits — nothing else in the app does.
    return DeliveryError.rateLimited(Math.max(0, e.retryAfter ?? 1) * 1000, "method");
  }
  const code = slackErrorCode(error);
  if (code && RECIPIENT_GONE_CODES.has(code)) return DeliveryError.recipientGone(code);
  if (code) return DeliveryError.failed(code, TRANSIENT_CODES.has(code));
  // Request errors (connection reset, timeout) and HTTP 5xx: the post may or may not have landed.
  return DeliveryError.failed(e?.code ?? "unknown_error", true);
}

/**
 * Delivers scheduled questions over Slack's Web API. The client must be created with
 * `rejectRateLimitedCalls: true` and no retries: the engine's queue honours Retry-After itself,
 * so a 429 for one delivery never stalls a listener or the Bolt client the app uses elsewhere.
 */
export class SlackDeliverer implements Deliverer {
  constructor(private readonly client: WebClient) {}

  private async channelFor(target: DeliveryTarget): Promise<string> {
    if (target.kind === "channel") return target.channelId;
    return target.dmChannel ?? (await openDm(this.client, target.userId));
  }

  async post(request: DeliveryRequest): Promise<PostedMessage> {
    try {
      const channel = await this.channelFor(request.target);
      const intro =
        request.target.kind === "user"
          ? "Your daily question. Answer in this thread whenever you are ready."
          : "Today's question for the channel. Anyone can answer in the thread: each person is graded separately, and the model answer is shown only to people who have answered.";
      const message = questionMessage(request.ref.round, request.ref.question, { intro });
      const posted = await this.client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        metadata: { event_type: DAILY_METADATA_EVENT, event_payload: { token: request.token, slot: request.slot } },
      });
      if (!posted.ts || !posted.channel) throw DeliveryError.failed("no_ts_returned", true);
      return { channel: posted.channel, ts: posted.ts };
    } catch (error) {
      throw error instanceof DeliveryError ? error : toDeliveryError(error);
    }
  }

  /** Looks through the conversation since `since` for our message with this token (crash recovery). */
  async findPosted(query: { target: DeliveryTarget; token: string; since: Date }): Promise<PostedMessage | undefined> {
    try {
      const channel = await this.channelFor(query.target);
      const ts = await findTaggedMessage(this.client, { channel, eventType: DAILY_METADATA_EVENT, token: query.token, since: query.since, pageSize: 100 });
      return ts ? { channel, ts } : undefined;
    } catch (error) {
      throw toDeliveryError(error);
    }
  }
}
