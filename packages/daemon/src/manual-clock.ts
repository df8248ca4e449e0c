import type { Clock } from "./clock.ts";

interface Sleeper {
  readonly until: number;
  readonly resolve: () => void;
}

/**
 * A clock that moves only when told to, for tests: `advance()` moves time and wakes every sleeper whose
 * time has come.
 *
 * @example
 * const clock = new ManualClock(Date.UTC(2030, 0, 1));
 * const daemon = await startDaemon({ ..., clock });
 * clock.advance(60_000); // the scheduler wakes as if a minute had passed
 */
export class ManualClock implements Clock {
  private current: number;
  private sleepers = new Set<Sleeper>();

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const sleeper: Sleeper = {
        until: this.current + Math.max(0, ms),
        resolve: () => {
          this.sleepers.delete(sleeper);
          signal?.removeEventListener("abort", sleeper.resolve);
          resolve();
        },
      };
      if (sleeper.until <= this.current) return resolve();
      this.sleepers.add(sleeper);
      signal?.addEventListener("abort", sleeper.resolve, { once: true });
    });
  }

  /** Moves time forward and wakes the sleepers that are due. */
  advance(ms: number): void {
    this.set(this.current + ms);
  }

  /** Moves time to `at` (never backwards) and wakes the sleepers that are due. */
  set(at: number): void {
    this.current = Math.max(this.current, at);
    for (const sleeper of [...this.sleepers]) if (sleeper.until <= this.current) sleeper.resolve();
  }

  /** How many sleeps are waiting (lets a test see that every loop has gone back to sleep). */
  get sleeping(): number {
    return this.sleepers.size;
  }
}
