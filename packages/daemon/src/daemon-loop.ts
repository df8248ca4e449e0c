import type { DaemonType } from "@bosun/storage";

/** What one pass of a loop reports: problems with single items that did not stop the pass. */
export interface IterationResult {
  readonly errors: readonly unknown[];
}

/**
 * One of the daemon's loops (run queue, scheduler, sensors, run monitor): a small system that does one
 * pass at a time. The runner calls `iterate`, writes a heartbeat with the pass's errors, and sleeps for
 * `nextDelayMs()` or until `wake` is called.
 */
export interface DaemonLoop {
  readonly type: DaemonType;
  /** Subscribes to whatever should wake the loop early (e.g. LISTEN/NOTIFY). */
  start?(wake: () => void): Promise<void>;
  iterate(): Promise<IterationResult>;
  /** How long to sleep after a pass. */
  nextDelayMs(): number;
  stop?(): Promise<void>;
}
