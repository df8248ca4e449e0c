import { randomUUID } from "node:crypto";
import type { BosunStorage } from "../storage.ts";
import type { OutagePolicy } from "./outage-policy.ts";
import { retryThroughOutage } from "./retry-through-outage.ts";

/** Parts of `BosunStorage` whose every call is retried through an outage. */
const RETRIED_PARTS = [
  "runs",
  "events",
  "computeLogs",
  "outputs",
  "runQueue",
  "instigators",
  "retention",
  "launches",
] as const;

/**
 * `storage` for a process that must ride out a database outage (run and step workers): every call
 * waits out an outage of up to `policy.toleranceMs` (`retryThroughOutage`) instead of failing, then
 * throws `StorageOutageError`. Appends (`appendEvents`, compute-log `append`) without a `batchKey` get
 * one per call, kept across its retries, so a retry never stores a batch twice. Heartbeats are not
 * retried: a missed one is simply followed by the next.
 */
export function rideOutOutages(storage: BosunStorage, policy: OutagePolicy): BosunStorage {
  const retried = new Map<PropertyKey, unknown>(
    RETRIED_PARTS.map((name) => [name, retrying(storage[name] as object, policy)]),
  );
  // Every other part (heartbeats; auth, sessions and asset status, which only servers read) passes
  // through unchanged.
  return new Proxy(storage, {
    get: (target, property) => {
      if (retried.has(property)) return retried.get(property);
      const value = Reflect.get(target, property);
      // Methods run on the storage itself, whose private state a proxy cannot reach.
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function retrying<P extends object>(part: P, policy: OutagePolicy): P {
  return new Proxy(part, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const call = () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (property === "appendEvents") return appendOnce(args, 1, call, policy);
        if (property === "append") return appendOnce(args, 4, call, policy);
        return retryThroughOutage(call, policy);
      };
    },
  });
}

/** Retries an append with the caller's `batchKey` (argument `index`), or one made for this call. */
function appendOnce(
  args: unknown[],
  index: number,
  call: () => Promise<unknown>,
  policy: OutagePolicy,
): Promise<unknown> {
  const options = (args[index] ?? {}) as { batchKey?: string };
  if (options.batchKey === undefined) args[index] = { ...options, batchKey: randomUUID() };
  return retryThroughOutage(call, policy);
}
