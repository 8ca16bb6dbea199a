/**
 * Time as the scheduler sees it. Injected so tests can move time (across a DST change, a restart, a
 * Retry-After) without waiting, and so nothing in the schedule engine calls Date.now() directly.
 */
export interface Clock {
  now(): Date;
  /** Calls `fn` after `ms`; returns a handle for `clear`. */
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** Node's setTimeout cannot wait longer than 2^31-1 ms; longer waits are re-armed by the caller. */
export const MAX_TIMER_MS = 2_147_483_647;

export const systemClock: Clock = {
  now: () => new Date(),
  setTimer: (fn, ms) => {
    const handle = setTimeout(fn, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    // Scheduler timers must not keep a finished process (tests, CLI) alive.
    handle.unref?.();
    return handle;
  },
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface ManualTimer {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * A clock that only moves when told to. `advance` fires due timers in time order and lets the
 * promise chains they start settle between timers, so async work behaves as it would in real time.
 */
export class ManualClock implements Clock {
  private current: number;
  private timers: ManualTimer[] = [];
  private nextId = 1;
  /**
   * How to wait for the work a timer started before firing the next one. Tests point this at the
   * scheduler's `idle()` so a retry timer set by that work is seen within the same `advance`.
   */
  quiesce: () => Promise<void> = () => settle();

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  setTimer(fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, at: this.current + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Number of timers waiting (for tests that check nothing is left behind). */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(new Date(this.current + ms));
  }

  async advanceTo(target: Date | string): Promise<void> {
    const end = new Date(target).getTime();
    await this.quiesce();
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.fn();
      await this.quiesce();
    }
    this.current = Math.max(this.current, end);
    await this.quiesce();
  }
}

/**
 * Lets pending promise callbacks and file I/O started by them complete. A few macrotask turns are
 * needed because lowdb writes go through the file system, not just the microtask queue.
 */
export async function settle(turns = 25): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
