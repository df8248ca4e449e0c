/** How a failed step is retried. Delays are in milliseconds. */
export interface RetryPolicy {
  /** Attempts after the first; 0 disables retries. */
  readonly maxRetries: number;
  /** Base delay before a retry. */
  readonly delayMs?: number;
  /** `exponential` doubles the delay each retry; `linear` multiplies it by the retry number. */
  readonly backoff?: "linear" | "exponential";
  /** `full` picks uniformly in [0, delay]; `plusMinus` adds up to ±50%. */
  readonly jitter?: "full" | "plusMinus";
}

/** Delay before retry number `retry` (1-based). `random` is injectable so tests are deterministic. */
export function retryDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const base = policy.delayMs ?? 0;
  let delay = base;
  if (policy.backoff === "exponential") delay = base * 2 ** (retry - 1);
  else if (policy.backoff === "linear") delay = base * retry;
  if (policy.jitter === "full") delay = random() * delay;
  else if (policy.jitter === "plusMinus") delay = delay * (0.5 + random());
  return Math.round(delay);
}
