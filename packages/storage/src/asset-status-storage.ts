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
  /**
   * How many partitions of the asset are stored in each status (the empty key is left out), from counts
   * kept as statuses change: no scan of the asset's partitions.
   */
  countPartitionStatuses(assetKey: string): Promise<Readonly<Record<PartitionStatus, number>>>;
  /**
   * The statuses of `partitionKeys` (MISSING when none is stored), counted per consecutive stretch of
   * `bucketSize` keys: an asset page's status bar, without bringing every partition to the caller.
   */
  partitionStatusBuckets(
    assetKey: string,
    partitionKeys: readonly string[],
    bucketSize: number,
  ): Promise<readonly Readonly<Record<PartitionStatus, number>>[]>;
  /**
   * The keys among `partitionKeys`, in their order, whose status (MISSING when none is stored) is one of
   * `statuses`, at most `limit`: filtered partition lists and backfill planning.
   */
  filterPartitionKeys(
    assetKey: string,
    partitionKeys: readonly string[],
    statuses: readonly PartitionStatus[],
    limit?: number,
  ): Promise<readonly string[]>;
  /** Stored statuses of the asset's partitions, in partition key order. */
  listPartitionStatuses(
    assetKey: string,
    query?: PartitionStatusQuery,
  ): Promise<readonly PartitionStatusRecord[]>;
  /** The latest attempt per asset, whichever partition it touched (failed ones included). */
  latestAttempts(assetKeys: readonly string[]): Promise<readonly PartitionStatusRecord[]>;
}
