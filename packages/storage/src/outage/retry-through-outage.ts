import { backoffDelayMs, type OutagePolicy } from "./outage-policy.ts";
import { isStorageOutage, StorageOutageError } from "./storage-outage.ts";

// Not unref'd: a process waiting out an outage has nothing else keeping it alive, and must not exit.
const timerSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `attempt` until it succeeds, trying again with back-off while the database is away
 * (`isStorageOutage`). Any other error is thrown at once; an outage longer than `policy.toleranceMs`
 * (counted from the first failed attempt) throws `StorageOutageError` with the last error as its cause.
 * `attempt` must be safe to repeat: a write that may have committed before its acknowledgement was lost
 * must carry an idempotency key (`batchKey` of `appendEvents` and `append`).
 */
export async function retryThroughOutage<T>(attempt: () => Promise<T>, policy: OutagePolicy): Promise<T> {
  const now = policy.now ?? Date.now;
  const sleep = policy.sleep ?? timerSleep;
  let outageStart: number | null = null;
  for (let failures = 1; ; failures++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isStorageOutage(error)) throw error;
      outageStart ??= now();
      const outageMs = now() - outageStart;
      if (outageMs >= policy.toleranceMs)
        throw new StorageOutageError(policy.toleranceMs, outageMs, { cause: error });
      await sleep(Math.min(backoffDelayMs(failures, policy), policy.toleranceMs - outageMs));
    }
  }
}
