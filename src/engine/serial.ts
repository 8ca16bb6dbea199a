/**
 * Runs tasks one at a time per key, in arrival order: two replies from one person in one thread, or an
 * answer being graded and a `next` typed meanwhile in a mock loop, must not interleave.
 */
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves once every task queued for `key` so far has finished (without queueing one: readers wait, not line up). */
  async settled(key: string): Promise<void> {
    await this.tails.get(key);
  }
}
