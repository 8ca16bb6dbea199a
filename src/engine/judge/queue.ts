import { availableParallelism } from "node:os";

/**
 * First-come, first-served limit on concurrent runs. Runs are CPU-bound and timed by the wall clock,
 * so more runs than cores would make fast solutions look slow; waiting in the queue is not timed.
 */
export class RunQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly concurrency: number = availableParallelism()) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error("concurrency must be a positive integer");
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // Hand the slot straight to the next task so a newcomer cannot overtake it.
      if (next) next();
      else this.running--;
    }
  }
}
