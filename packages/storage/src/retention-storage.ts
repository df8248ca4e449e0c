import type { FinishedTickStatus, InstigatorKind } from "./instigator-storage.ts";

/**
 * Deleting old data (the daemon's RETENTION loop). Deletes happen in bounded batches, one transaction
 * each, so a large backlog never holds one huge transaction or long locks; two daemons purging at once
 * skip each other's batches.
 */

/** Default rows per batch. */
export const DEFAULT_PURGE_BATCH_SIZE = 1000;

/** How much one purge call deletes, and in what batches. */
export interface PurgeOptions {
  /** Rows (runs or ticks) per batch and transaction. Default 1000. */
  readonly batchSize?: number;
  /** Stop after this many batches (the caller comes back for the rest). Default: until none is left. */
  readonly maxBatches?: number;
}

/** What a purge deleted. */
export interface PurgeResult {
  /** Runs or ticks deleted. */
  readonly deleted: number;
  /** Transactions that deleted something. */
  readonly batches: number;
  /** True when nothing matching is left; false when `maxBatches` stopped it first. */
  readonly complete: boolean;
}

/** Deletes old finished runs, ticks and audit entries for the retention loop, in batches. */
export interface RetentionStorage {
  /**
   * Deletes finished runs (SUCCESS, FAILURE, CANCELED) that ended before `endedBefore` (a run without an
   * end time counts from its last update), together with their events, compute logs, stored outputs
   * (those keyed by run; asset values stored by asset key stay) and worker heartbeats, each batch in one
   * transaction. Runs queued or in progress are never touched. The asset index follows: an asset
   * (partition) whose latest materialization was in a deleted run points at its newest remaining
   * materialization, or is dropped from the index when none remains.
   */
  purgeRuns(endedBefore: Date, options?: PurgeOptions): Promise<PurgeResult>;
  /**
   * Deletes ticks of `kind` in one of `statuses` whose time (scheduled time or evaluation time) is
   * before `before`. The newest tick of each schedule or sensor is always kept (the scheduler counts
   * due ticks from it), and so is any tick still STARTED.
   */
  purgeTicks(
    kind: InstigatorKind,
    statuses: readonly FinishedTickStatus[],
    before: Date,
    options?: PurgeOptions,
  ): Promise<PurgeResult>;
  /** Deletes audit log entries recorded before `before`. */
  purgeAudit(before: Date, options?: PurgeOptions): Promise<PurgeResult>;
}
