import { App, type ReceiverEvent } from "@slack/bolt";

/** Events API payloads whose listener stores something that must be durable before Slack hears back. */
function holdsAck(body: ReceiverEvent["body"]): boolean {
  const b = body as { type?: unknown; event?: { type?: unknown } } | undefined;
  return b?.type === "event_callback" && b.event?.type === "message";
}

/**
 * Bolt acknowledges an Events API request before its listeners run (HTTP and Socket Mode alike), so a
 * crash right after the ack loses the message: Slack will not send it again. For `message` events this
 * app holds the ack until the listeners have returned — they only store the reply in the inbox, a few
 * milliseconds — and sends it then. Everything else (commands, buttons, other events) is acknowledged
 * as Bolt always does; `processBeforeResponse` would instead hold every request, commands included,
 * until its whole handler finished.
 */
export class InboxFirstApp extends App {
  override async processEvent(event: ReceiverEvent): Promise<void> {
    if (!holdsAck(event.body)) return super.processEvent(event);
    const ack = event.ack;
    let held: { response: Parameters<ReceiverEvent["ack"]>[0] } | undefined;
    await super.processEvent({
      ...event,
      ack: async (response) => {
        held = { response };
      },
    });
    // Listener errors are handled (and logged) inside Bolt; what the listeners stored is stored now.
    if (held) await ack(held.response);
  }
}
