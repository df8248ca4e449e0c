/**
 * Retrying Kubernetes API calls: 500, 503 and 504 (and connections cut before an answer) are repeated
 * with exponential backoff. A create that is repeated may have succeeded the first time without us
 * hearing it, so a 409 AlreadyExists on a repeated create counts as created.
 */
import { isNetworkError, kubeStatusCode, RETRIED_STATUS_CODES } from "./kube-errors.ts";

/** How often and how patiently a Kubernetes call is repeated on transient failures. */
export interface KubeRetryOptions {
  /** Attempts in all, the first included. Default 5. */
  readonly attempts?: number;
  /** Delay before the first repeat; doubled each time. Default 200 ms. */
  readonly initialDelayMs?: number;
  /** Longest delay between attempts. Default 5 s. */
  readonly maxDelayMs?: number;
  /** Default: setTimeout. Tests pass a recorder. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function retryable(error: unknown): boolean {
  const status = kubeStatusCode(error);
  return status === undefined ? isNetworkError(error) : RETRIED_STATUS_CODES.includes(status);
}

/**
 * Calls `operation` until it succeeds, fails with an error that is not worth repeating, or runs out
 * of attempts.
 *
 * @example
 * const pod = await withKubeRetry(() => core.readNamespacedPod({ name, namespace }));
 */
export async function withKubeRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: KubeRetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const sleep = options.sleep ?? defaultSleep;
  let delay = options.initialDelayMs ?? 200;
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt + 1 >= attempts || !retryable(error)) throw error;
      await sleep(delay);
      delay = Math.min(delay * 2, options.maxDelayMs ?? 5_000);
    }
  }
}

/**
 * What `createWithRetry` got: the created object, or (when a repeat found it) only the news that it exists.
 */
export type CreateOutcome<T> =
  | { readonly created: true; readonly object: T }
  /** A repeated create found the object: the first attempt had created it. */
  | { readonly created: true; readonly object: null; readonly alreadyExisted: true };

/**
 * Creates an object, repeating on 500/503/504. A 409 on the first attempt is a real conflict (thrown);
 * on a repeated attempt it means an earlier attempt went through, and counts as created.
 */
export async function createWithRetry<T>(
  create: () => Promise<T>,
  options: KubeRetryOptions = {},
): Promise<CreateOutcome<T>> {
  return withKubeRetry(async (attempt) => {
    try {
      return { created: true as const, object: await create() };
    } catch (error) {
      if (attempt > 0 && kubeStatusCode(error) === 409)
        return { created: true as const, object: null, alreadyExisted: true as const };
      throw error;
    }
  }, options);
}
