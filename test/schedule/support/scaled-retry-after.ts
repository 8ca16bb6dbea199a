import { DeliveryError, type Deliverer } from "../../../src/engine/schedule/deliverer.js";

/**
 * Divides every Retry-After a deliverer reports by `scale`, so a fake Slack answering `Retry-After: 1`
 * (Slack's usual value; HTTP only has whole seconds) runs on a faster clock in tests and benches.
 */
export class ScaledRetryAfter implements Deliverer {
  constructor(
    private readonly inner: Deliverer,
    private readonly scale: number,
  ) {}
  private scaled<T>(p: Promise<T>): Promise<T> {
    return p.catch((e: unknown) => {
      if (e instanceof DeliveryError && e.kind === "rate-limited") throw DeliveryError.rateLimited((e.retryAfterMs ?? 1000) / this.scale, e.scope, e.code);
      throw e;
    });
  }
  post(...args: Parameters<Deliverer["post"]>) {
    return this.scaled(this.inner.post(...args));
  }
  findPosted(...args: Parameters<Deliverer["findPosted"]>) {
    return this.scaled(this.inner.findPosted(...args));
  }
}
