import type { ManualClock } from "../../../src/engine/schedule/clock.js";
import {
  DeliveryError,
  type Deliverer,
  type DeliveryRequest,
  type DeliveryTarget,
  type PostedMessage,
} from "../../../src/engine/schedule/deliverer.js";

/** A message as the workspace holds it. */
export interface WorkspaceMessage {
  channel: string;
  ts: string;
  token: string;
  questionId: string;
  slot: string;
  recipient: string;
  at: Date;
}

type Fault =
  | { kind: "rate-limit"; retryAfterMs: number; scope: "channel" | "method" }
  | { kind: "gone"; code: string }
  | { kind: "fail"; code: string; retryable: boolean; afterPosting?: boolean };

/**
 * The network edge, faked at the Deliverer interface: an in-memory workspace that outlives any one
 * scheduler (like Slack outlives our process). Faults are scripted per recipient or for the next
 * call, and `crashAfter(n)` freezes the "process" after the n-th post reaches the workspace.
 */
export class FakeWorkspace implements Deliverer {
  readonly messages: WorkspaceMessage[] = [];
  readonly attempts: Array<{ recipient: string; at: Date }> = [];
  private readonly recipientFaults = new Map<string, Fault[]>();
  private crashAt: number | undefined;
  private crashBeforePost = false;
  private crashed = false;
  private seq = 0;

  constructor(private readonly clock: ManualClock) {}

  static recipient(target: DeliveryTarget): string {
    return target.kind === "user" ? target.userId : target.channelId;
  }

  /** The next calls for `recipient` fail like this, in order. */
  failFor(recipient: string, ...faults: Fault[]): void {
    this.recipientFaults.set(recipient, [...(this.recipientFaults.get(recipient) ?? []), ...faults]);
  }

  /** After the n-th successful post reaches the workspace, this deliverer never answers again. */
  crashAfter(posts: number): void {
    this.crashAt = posts;
  }

  /** The next post never reaches the workspace and never answers: the process died while sending. */
  crashBeforeNextPost(): void {
    this.crashBeforePost = true;
  }

  /** A fresh view for the restarted process: same messages, no crash. */
  restarted(): FakeWorkspace {
    const next = new FakeWorkspace(this.clock);
    next.messages.push(...this.messages);
    return next;
  }

  get hasCrashed(): boolean {
    return this.crashed;
  }

  messagesFor(recipient: string): WorkspaceMessage[] {
    return this.messages.filter((m) => m.recipient === recipient);
  }

  async post(request: DeliveryRequest): Promise<PostedMessage> {
    if (this.crashed) return never();
    const recipient = FakeWorkspace.recipient(request.target);
    this.attempts.push({ recipient, at: this.clock.now() });
    if (this.crashBeforePost) {
      this.crashed = true;
      return never();
    }
    const fault = this.recipientFaults.get(recipient)?.shift();
    if (fault?.kind === "rate-limit") throw DeliveryError.rateLimited(fault.retryAfterMs, fault.scope);
    if (fault?.kind === "gone") throw DeliveryError.recipientGone(fault.code);
    if (fault?.kind === "fail" && !fault.afterPosting) throw DeliveryError.failed(fault.code, fault.retryable);
    const message: WorkspaceMessage = {
      channel: request.target.kind === "user" ? `D-${recipient}` : recipient,
      ts: `${Math.floor(this.clock.now().getTime() / 1000)}.${String(++this.seq).padStart(6, "0")}`,
      token: request.token,
      questionId: request.ref.question.id,
      slot: request.slot,
      recipient,
      at: this.clock.now(),
    };
    this.messages.push(message);
    if (fault?.kind === "fail") throw DeliveryError.failed(fault.code, fault.retryable); // posted, but the reply was lost
    if (this.crashAt !== undefined && this.messages.length >= this.crashAt) {
      this.crashed = true;
      return never();
    }
    return { channel: message.channel, ts: message.ts };
  }

  async findPosted(query: { target: DeliveryTarget; token: string; since: Date }): Promise<PostedMessage | undefined> {
    if (this.crashed) return never();
    const found = this.messages.find((m) => m.token === query.token && m.at >= query.since);
    return found ? { channel: found.channel, ts: found.ts } : undefined;
  }
}

function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}
