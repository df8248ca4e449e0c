import type { JsonValue } from "../api/types.ts";

/** A step's retry policy as its code location publishes it (the snapshot carries it as plain JSON). */
export interface RetryPolicy {
  readonly maxRetries: number;
  readonly delayMs?: number;
  readonly backoff?: "linear" | "exponential";
  readonly jitter?: "full" | "plusMinus";
}

/** The policy, or null when the JSON is not one this UI knows how to read (e.g. from a newer Bosun). */
export function parseRetryPolicy(value: JsonValue | null): RetryPolicy | null {
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  const { maxRetries, delayMs, backoff, jitter } = value;
  if (typeof maxRetries !== "number") return null;
  if (delayMs !== undefined && typeof delayMs !== "number") return null;
  if (backoff !== undefined && backoff !== "linear" && backoff !== "exponential") return null;
  if (jitter !== undefined && jitter !== "full" && jitter !== "plusMinus") return null;
  return {
    maxRetries,
    ...(delayMs !== undefined ? { delayMs } : {}),
    ...(backoff !== undefined ? { backoff } : {}),
    ...(jitter !== undefined ? { jitter } : {}),
  };
}

function formatDelay(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
  const minutes = seconds / 60;
  return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)} min`;
}

const BACKOFF: Readonly<Record<NonNullable<RetryPolicy["backoff"]>, string>> = {
  exponential: "exponential backoff (each wait twice the last)",
  linear: "linear backoff (the nth wait is n times the first)",
};

const JITTER: Readonly<Record<NonNullable<RetryPolicy["jitter"]>, string>> = {
  full: "random jitter (each wait anywhere from 0 to its full length)",
  plusMinus: "random jitter (each wait ±50%)",
};

/** A retry policy as a sentence: "up to 2 retries, 500 ms apart, exponential backoff (…)". */
export function describeRetryPolicy(policy: RetryPolicy): string {
  if (policy.maxRetries <= 0) return "no retries";
  const parts = [`up to ${policy.maxRetries} ${policy.maxRetries === 1 ? "retry" : "retries"}`];
  const delay = policy.delayMs ?? 0;
  if (delay > 0) {
    parts.push(`${formatDelay(delay)} apart`);
    if (policy.backoff) parts.push(BACKOFF[policy.backoff]);
    if (policy.jitter) parts.push(JITTER[policy.jitter]);
  } else {
    parts.push("at once");
  }
  return parts.join(", ");
}
