import { type PartitionsDefinition, partitionKeys } from "bosun";
import type { PartitionsSnapshot } from "./snapshot.ts";

/**
 * Every partition key of a snapshot's partitions, oldest first, as the SDK names them (time windows that
 * have fully ended by `now`). The servers never load user code: they compute keys from the snapshot.
 *
 * @example
 * snapshotPartitionKeys({ kind: "daily", start: "2024-01-01T00:00:00.000Z" }, new Date("2024-01-03T12:00Z"));
 * // ["2024-01-01", "2024-01-02"]
 */
export function snapshotPartitionKeys(partitions: PartitionsSnapshot, now: Date = new Date()): string[] {
  return partitionKeys(snapshotDefinition(partitions), now);
}

function snapshotDefinition(partitions: PartitionsSnapshot): PartitionsDefinition {
  if (partitions.kind === "static") return { kind: "static", keys: [...(partitions.keys ?? [])] };
  return { kind: partitions.kind, start: new Date(partitions.start ?? 0) };
}
