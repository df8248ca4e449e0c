import { type PartitionsSnapshot, snapshotPartitionKeys } from "@bosun/code-server";
import { PARTITION_STATUSES, type PartitionStatus } from "@bosun/core";
import type { BosunStorage, PartitionStatusRecord } from "@bosun/storage";

/** How many partitions of an asset are in each status; MISSING counts every key with no stored status. */
export type PartitionCounts = Readonly<Record<PartitionStatus, number>>;

/** One stretch of an asset's status bar: consecutive keys, oldest first, summarised by their worst status. */
export interface StatusBarSegment {
  readonly firstKey: string;
  readonly lastKey: string;
  /** How many keys the stretch covers. */
  readonly size: number;
  /** How many of them are in each status. */
  readonly counts: PartitionCounts;
}

/** What an asset page shows above its partitions: counts, the bar over the whole range, the latest key. */
export interface PartitionStatusSummary {
  readonly total: number;
  readonly counts: PartitionCounts;
  readonly bar: readonly StatusBarSegment[];
  /** The newest key (the picker's default), null when no partition has ended yet. */
  readonly latestKey: string | null;
}

/** One partition as the list and the picker show it. */
export interface PartitionStatusView {
  readonly key: string;
  readonly status: PartitionStatus;
  /** The latest attempt; null for a partition never attempted. */
  readonly runId: string | null;
  readonly updatedAt: Date | null;
  readonly error: string | null;
  readonly materializedAt: Date | null;
}

/** A page of partitions, newest first. */
export interface PartitionStatusPage {
  readonly partitions: readonly PartitionStatusView[];
  /** Pass back as `after` for the next (older) page; null at the end. */
  readonly nextCursor: string | null;
}

/** The bar has at most this many stretches, whatever the number of partitions. */
export const STATUS_BAR_SEGMENTS = 120;

/** Counts of a partitioned asset: stored statuses, and MISSING for the keys with none. */
export async function partitionCounts(
  storage: BosunStorage,
  assetKey: string,
  partitions: PartitionsSnapshot,
  now: Date = new Date(),
): Promise<PartitionCounts> {
  const total = snapshotPartitionKeys(partitions, now).length;
  const stored = await storage.assetStatus.countPartitionStatuses(assetKey);
  return withMissing(stored, total);
}

/** Counts, the status bar and the latest key of a partitioned asset. */
export async function partitionStatusSummary(
  storage: BosunStorage,
  assetKey: string,
  partitions: PartitionsSnapshot,
  now: Date = new Date(),
): Promise<PartitionStatusSummary> {
  const keys = snapshotPartitionKeys(partitions, now);
  const size = Math.max(1, Math.ceil(keys.length / STATUS_BAR_SEGMENTS));
  const buckets = await storage.assetStatus.partitionStatusBuckets(assetKey, keys, size);
  const counts = emptyCounts();
  const bar = buckets.map((bucket, index) => {
    for (const status of PARTITION_STATUSES) counts[status] += bucket[status];
    const first = index * size;
    const last = Math.min(keys.length, first + size) - 1;
    return { firstKey: keys[first]!, lastKey: keys[last]!, size: last - first + 1, counts: bucket };
  });
  return { total: keys.length, counts, bar, latestKey: keys.at(-1) ?? null };
}

/**
 * Partitions newest first, filtered by status, `limit` at a time after the cursor. Missing keys are
 * those of the definition with no stored status, so the filter works for them too.
 */
export async function listPartitionStatusViews(
  storage: BosunStorage,
  assetKey: string,
  partitions: PartitionsSnapshot,
  options: {
    readonly statuses?: readonly PartitionStatus[];
    readonly limit: number;
    readonly after?: string | null;
    readonly now?: Date;
  },
): Promise<PartitionStatusPage> {
  const newestFirst = [...snapshotPartitionKeys(partitions, options.now ?? new Date())].reverse();
  const remaining = options.after ? newestFirst.slice(newestFirst.indexOf(options.after) + 1) : newestFirst;
  // One more than a page tells whether another page follows.
  const matching = options.statuses
    ? await storage.assetStatus.filterPartitionKeys(assetKey, remaining, options.statuses, options.limit + 1)
    : remaining.slice(0, options.limit + 1);
  const pageKeys = matching.slice(0, options.limit);
  const records = await storage.assetStatus.listPartitionStatuses(assetKey, { partitionKeys: pageKeys });
  const byKey = new Map(records.map((record) => [record.partitionKey, record]));
  return {
    partitions: pageKeys.map((key) => toView(key, byKey.get(key))),
    nextCursor: matching.length > options.limit ? pageKeys.at(-1)! : null,
  };
}

/**
 * The keys of a partitioned asset in any of `statuses`, oldest first: what a backfill of "all missing"
 * or "all failed" plans from.
 */
export async function partitionKeysInStatus(
  storage: BosunStorage,
  assetKey: string,
  partitions: PartitionsSnapshot,
  statuses: readonly PartitionStatus[],
  now: Date = new Date(),
): Promise<readonly string[]> {
  return storage.assetStatus.filterPartitionKeys(assetKey, snapshotPartitionKeys(partitions, now), statuses);
}

function toView(key: string, record: PartitionStatusRecord | undefined): PartitionStatusView {
  return {
    key,
    status: record?.status ?? "MISSING",
    runId: record?.runId ?? null,
    updatedAt: record?.updatedAt ?? null,
    error: record?.error ?? null,
    materializedAt: record?.materializedAt ?? null,
  };
}

function emptyCounts(): Record<PartitionStatus, number> {
  return Object.fromEntries(PARTITION_STATUSES.map((status) => [status, 0])) as Record<
    PartitionStatus,
    number
  >;
}

function withMissing(stored: PartitionCounts, total: number): PartitionCounts {
  const counts = { ...stored };
  const known = counts.MATERIALIZED + counts.FAILED + counts.IN_PROGRESS;
  counts.MISSING = Math.max(0, total - known);
  return counts;
}
