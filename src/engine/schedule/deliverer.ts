import type { QuestionRef } from "../content/bank.js";
import type { SubscriberKey } from "./records.js";

/** Where a scheduled question goes. A user is reached by DM (the adapter opens it if needed). */
export type DeliveryTarget =
  | { kind: "user"; userId: string; /** DM channel learnt from an earlier delivery, if any. */ dmChannel?: string }
  | { kind: "channel"; channelId: string };

export interface DeliveryRequest {
  target: DeliveryTarget;
  ref: QuestionRef;
  /** e.g. "2025-03-10T09:00" in the subscriber's zone, for the message text. */
  slot: string;
  /**
   * Unique per (subscriber, slot). The adapter attaches it to the message (Slack: message metadata)
   * so that `findPosted` can tell after a crash whether this exact post went out.
   */
  token: string;
}

export interface PostedMessage {
  channel: string;
  ts: string;
}

/** The network edge of scheduled delivery; the Slack adapter implements it. */
export interface Deliverer {
  post(request: DeliveryRequest): Promise<PostedMessage>;
  /**
   * The message carrying `token` posted to `target` at or after `since`, if there is one. Called only
   * for deliveries a crash or an ambiguous failure left unconfirmed.
   */
  findPosted(query: { target: DeliveryTarget; token: string; since: Date }): Promise<PostedMessage | undefined>;
}

export type DeliveryErrorKind = "rate-limited" | "recipient-gone" | "failed";

/** Typed so the pipeline can branch: wait, give up on this person, or retry. */
export class DeliveryError extends Error {
  private constructor(
    readonly kind: DeliveryErrorKind,
    /** The platform's error code, e.g. "account_inactive" or "ratelimited". */
    readonly code: string,
    /** For "rate-limited": how long the platform asked us to wait. */
    readonly retryAfterMs: number | undefined,
    /** For "failed": whether trying again may help (network, 5xx) or not (invalid_blocks). */
    readonly retryable: boolean,
    /** For "rate-limited": whether the limit is this one channel's (1/s per channel) or the whole method's. */
    readonly scope: "channel" | "method",
  ) {
    super(
      kind === "rate-limited"
        ? `rate limited (${code}), retry after ${retryAfterMs} ms`
        : kind === "recipient-gone"
          ? `recipient unreachable (${code})`
          : `delivery failed (${code})`,
    );
    this.name = "DeliveryError";
  }

  static rateLimited(retryAfterMs: number, scope: "channel" | "method" = "method", code = "ratelimited"): DeliveryError {
    return new DeliveryError("rate-limited", code, Math.max(0, retryAfterMs), true, scope);
  }

  /** The person left, was deactivated, closed the DM, or the channel is gone or archived. */
  static recipientGone(code: string): DeliveryError {
    return new DeliveryError("recipient-gone", code, undefined, false, "method");
  }

  static failed(code: string, retryable: boolean): DeliveryError {
    return new DeliveryError("failed", code, undefined, retryable, "method");
  }
}

export function deliveryTarget(key: SubscriberKey, dmChannel?: string): DeliveryTarget {
  return key.kind === "user" ? { kind: "user", userId: key.id, dmChannel } : { kind: "channel", channelId: key.id };
}
