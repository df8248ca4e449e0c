import type { PartitionStatus } from "@bosun/core";

/** The stored status of one partition of an asset (the empty key for an unpartitioned asset). */
export interface PartitionStatusRecord {
  readonly assetKey: string;
  readonly partitionKey: string;
  readonly status: PartitionStatus;
  /** The run of the latest attempt. */
  readonly runId: string;
  /** When the latest attempt last changed the status. */
  readonly updatedAt: Date;
  /** The latest attempt's error, when it failed. */
  readonly error: string | null;
  /** The latest materialization, kept through later failed attempts. */
  readonly materializedRunId: string | null;
  readonly materializedAt: Date | null;
}

/** Which stored partition statuses `listPartitionStatuses` returns. */
export interface PartitionStatusQuery {
  /** Only these partitions. */
  readonly partitionKeys?: readonly string[];
  /** Only partitions in one of these statuses. */
  readonly statuses?: readonly PartitionStatus[];
}

/**
 * Partition status per asset: kept by the event log as it stores events (run start, materialization, run
 * end), never by scanning events when read. A partition with no stored status is MISSING; callers that
 * know an asset's partition keys (its definition) count those themselves.
 */
export interface AssetStatusStorage {
  /** How many partitions of the asset are stored in each status (partitioned assets; the empty key is left out). */
  countPartitionStatuses(assetKey: string): Promise<Readonly<Record<PartitionStatus, number>>>;
  /** Stored statuses of the asset's partitions, in partition key order. */
  listPartitionStatuses(
    assetKey: string,
    query?: PartitionStatusQuery,
  ): Promise<readonly PartitionStatusRecord[]>;
  /**
   * Just the key and status of every stored partition of the asset (not the empty key): the lean read
   * behind status bars and backfill planning over 100,000 partitions.
   */
  partitionStatusMap(assetKey: string): Promise<ReadonlyMap<string, PartitionStatus>>;
  /** The latest attempt per asset, whichever partition it touched (failed ones included). */
  latestAttempts(assetKeys: readonly string[]): Promise<readonly PartitionStatusRecord[]>;
}
