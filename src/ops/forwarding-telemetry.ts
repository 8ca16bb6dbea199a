import type { Telemetry } from "../engine/telemetry.js";

/** More events than start-up can produce; beyond it the oldest are dropped rather than memory grown. */
const MAX_BUFFERED = 10_000;

/**
 * Telemetry that holds events until its target is set, then replays them and forwards the rest: the
 * app starts serving without waiting for prom-client to load (a few hundred ms on a busy machine) and
 * still counts everything that happened meanwhile.
 */
export class ForwardingTelemetry implements Telemetry {
  private target: Telemetry | undefined;
  private buffered: ((target: Telemetry) => void)[] = [];

  /** Replays what was held, then forwards every later event to `target`. */
  attach(target: Telemetry): void {
    this.target = target;
    const held = this.buffered;
    this.buffered = [];
    for (const replay of held) replay(target);
  }

  answerGraded(event: Parameters<Telemetry["answerGraded"]>[0]): void {
    this.send((t) => t.answerGraded(event));
  }

  graderFallback(event: Parameters<Telemetry["graderFallback"]>[0]): void {
    this.send((t) => t.graderFallback(event));
  }

  judgeRun(event: Parameters<Telemetry["judgeRun"]>[0]): void {
    this.send((t) => t.judgeRun(event));
  }

  deliveryOutcome(outcome: Parameters<Telemetry["deliveryOutcome"]>[0]): void {
    this.send((t) => t.deliveryOutcome(outcome));
  }

  jobFailed(queue: Parameters<Telemetry["jobFailed"]>[0]): void {
    this.send((t) => t.jobFailed(queue));
  }

  private send(event: (target: Telemetry) => void): void {
    if (this.target) return event(this.target);
    if (this.buffered.length >= MAX_BUFFERED) this.buffered.shift();
    this.buffered.push(event);
  }
}
