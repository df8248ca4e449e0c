import type { DaemonType } from "@bosun/storage";

/** What one pass of a loop reports: problems with single items that did not stop the pass. */
export interface IterationResult {
  readonly errors: readonly unknown[];
}

/**
 * Why a pass runs: `scheduled` by the loop's own timer or wake-up, `requested` through `runOnce` (tests,
 * tools). A loop that does part of its work only on some scheduled passes does all of it when requested.
 */
export type PassTrigger = "scheduled" | "requested";

/**
 * One of the daemon's loops (run queue, scheduler, sensors, run monitor): a small system that does one
 * pass at a time. The runner calls `iterate`, writes a heartbeat with the pass's errors, and sleeps for
 * `nextDelayMs()` or until `wake` is called.
 */
export interface DaemonLoop {
  readonly type: DaemonType;
  /** Subscribes to whatever should wake the loop early (e.g. LISTEN/NOTIFY). */
  start?(wake: () => void): Promise<void>;
  iterate(trigger: PassTrigger): Promise<IterationResult>;
  /** How long to sleep after a pass. */
  nextDelayMs(): number;
  stop?(): Promise<void>;
}
