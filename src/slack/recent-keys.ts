/**
 * Remembers the most recent keys it was shown, so an event Slack delivers twice (its retries after a slow
 * ack or a network blip carry the same message ts) is handled once.
 */
export class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  /** True the first time `key` is seen (within the last `capacity` keys). */
  firstTime(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.values().next().value as string);
    return true;
  }
}
