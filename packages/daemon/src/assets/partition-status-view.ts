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
  const byKey = await storage.assetStatus.partitionStatusMap(assetKey);
  const counts = emptyCounts();
  const bar: StatusBarSegment[] = [];
  const size = Math.max(1, Math.ceil(keys.length / STATUS_BAR_SEGMENTS));
  for (let start = 0; start < keys.length; start += size) {
    const slice = keys.slice(start, start + size);
    const segment = emptyCounts();
    for (const key of slice) {
      const status = byKey.get(key) ?? "MISSING";
      segment[status]++;
      counts[status]++;
    }
    bar.push({ firstKey: slice[0]!, lastKey: slice.at(-1)!, size: slice.length, counts: segment });
  }
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
  const keys = snapshotPartitionKeys(partitions, options.now ?? new Date()).reverse();
  const byKey = await storage.assetStatus.partitionStatusMap(assetKey);
  const wanted = options.statuses ? new Set(options.statuses) : null;
  const matches = (key: string) => !wanted || wanted.has(byKey.get(key) ?? "MISSING");
  let index = options.after ? keys.indexOf(options.after) + 1 : 0;
  const pageKeys: string[] = [];
  for (; index < keys.length && pageKeys.length < options.limit; index++) {
    if (matches(keys[index]!)) pageKeys.push(keys[index]!);
  }
  const records = await storage.assetStatus.listPartitionStatuses(assetKey, {
    partitionKeys: pageKeys.filter((key) => byKey.has(key)),
  });
  const recordByKey = new Map(records.map((record) => [record.partitionKey, record]));
  const more = keys.slice(index).some(matches);
  return {
    partitions: pageKeys.map((key) => toView(key, recordByKey.get(key))),
    nextCursor: more && pageKeys.length > 0 ? pageKeys.at(-1)! : null,
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
): Promise<string[]> {
  const wanted = new Set(statuses);
  const byKey = await storage.assetStatus.partitionStatusMap(assetKey);
  return snapshotPartitionKeys(partitions, now).filter((key) => wanted.has(byKey.get(key) ?? "MISSING"));
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
