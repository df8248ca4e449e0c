/**
 * Where one partition of an asset stands (an unpartitioned asset has a single one):
 *
 * - MISSING: never materialized, and no attempt is under way (also every key with no stored status);
 * - IN_PROGRESS: a run that targets it has started and has not ended;
 * - MATERIALIZED: its latest attempt materialized it;
 * - FAILED: its latest attempt ended (failed or canceled) without materializing it; an earlier
 *   materialization may still exist.
 */
export type PartitionStatus = "MATERIALIZED" | "FAILED" | "IN_PROGRESS" | "MISSING";

/** Every partition status, in the order the UI shows them. */
export const PARTITION_STATUSES: readonly PartitionStatus[] = [
  "MATERIALIZED",
  "FAILED",
  "IN_PROGRESS",
  "MISSING",
];

/** Whether a string is a partition status (for parsing query strings and flags). */
export function isPartitionStatus(value: string): value is PartitionStatus {
  return (PARTITION_STATUSES as readonly string[]).includes(value);
}
