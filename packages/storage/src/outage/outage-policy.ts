/** Default of `storage.outage_tolerance_seconds`: how long a worker waits for the database, in ms. */
export const DEFAULT_OUTAGE_TOLERANCE_MS = 120_000;

/** How writers wait out a database outage: for how long, and how often they try again. */
export interface OutagePolicy {
  /** Longest outage to wait out; beyond it the caller gets a `StorageOutageError`. */
  readonly toleranceMs: number;
  /** First pause between two attempts; it doubles after each failure. Default 100 ms. */
  readonly initialDelayMs?: number;
  /** Longest pause between two attempts. Default 2 s: writing resumes soon after the server is back. */
  readonly maxDelayMs?: number;
  /** Source of jitter, in [0, 1); tests pin it. Default `Math.random`. */
  readonly random?: () => number;
  /** Clock in ms; tests drive it. Default `Date.now`. */
  readonly now?: () => number;
  /** Pause; tests make it instant. Default a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * The pause before attempt `attempt + 1` (attempt counts from 1): exponential, capped, and jittered
 * to between half and all of it, so the workers of a fleet do not all reconnect in the same instant.
 */
export function backoffDelayMs(attempt: number, policy: OutagePolicy): number {
  const initial = policy.initialDelayMs ?? 100;
  const max = policy.maxDelayMs ?? 2_000;
  const ceiling = Math.min(max, initial * 2 ** Math.min(attempt - 1, 30));
  const random = policy.random ?? Math.random;
  return ceiling / 2 + (ceiling / 2) * random();
}
