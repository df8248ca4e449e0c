import { type PartitionsDefinition, partitionKeys } from "bosun";
import type { PartitionsSnapshot } from "./snapshot.ts";

const HOUR_MS = 3_600_000;
/** Time-window key lists kept, newest use last (a few per partitioned asset being looked at). */
const CACHED_LISTS = 64;
const cache = new Map<string, readonly string[]>();

/**
 * Every partition key of a snapshot's partitions, oldest first, as the SDK names them (time windows that
 * have fully ended by `now`). The servers never load user code: they compute keys from the snapshot.
 * Time-window lists are kept until the next hour boundary (no daily or hourly window ends before it), so
 * an asset page of 100,000 hourly partitions does not rebuild them on every request.
 *
 * @example
 * snapshotPartitionKeys({ kind: "daily", start: "2024-01-01T00:00:00.000Z" }, new Date("2024-01-03T12:00Z"));
 * // ["2024-01-01", "2024-01-02"]
 */
export function snapshotPartitionKeys(
  partitions: PartitionsSnapshot,
  now: Date = new Date(),
): readonly string[] {
  if (partitions.kind === "static") return partitionKeys(snapshotDefinition(partitions), now);
  const cacheKey = `${partitions.kind}|${partitions.start}|${Math.floor(now.getTime() / HOUR_MS)}`;
  const cached = cache.get(cacheKey);
  if (cached) {
    cache.delete(cacheKey);
    cache.set(cacheKey, cached);
    return cached;
  }
  const keys = Object.freeze(partitionKeys(snapshotDefinition(partitions), now));
  cache.set(cacheKey, keys);
  if (cache.size > CACHED_LISTS) cache.delete(cache.keys().next().value!);
  return keys;
}

function snapshotDefinition(partitions: PartitionsSnapshot): PartitionsDefinition {
  if (partitions.kind === "static") return { kind: "static", keys: [...(partitions.keys ?? [])] };
  return { kind: partitions.kind, start: new Date(partitions.start ?? 0) };
}
