import type { NewRun, RunRecord } from "@bosun/core";
import type { Subscription } from "./subscription.ts";

/**
 * The run queue, as storage sees it. The daemon's run coordinator decides which queued runs may start
 * (concurrency limits); storage makes that decision safe against a second coordinator, a concurrent
 * termination and a crash: the admission happens in one transaction that holds the queue lock and the
 * rows it moves, and moving a run to STARTING writes its RUN_STARTING event in the same transaction.
 *
 * Queue states of a run: QUEUED (waiting) → STARTING (admitted; the launcher is starting its worker) →
 * STARTED / CANCELING → terminal. Runs in STARTING, STARTED and CANCELING count against the limits.
 */

/** Tag holding a run's queue priority: an integer, higher first; absent or not an integer means 0. */
export const PRIORITY_TAG = "bosun/priority";

/** Tag on a job or run: how many times the run monitor retries a failed run as a new run. */
export const MAX_RETRIES_TAG = "bosun/max_retries";
/** Tag on a retry: 1 for the first retry of a run, 2 for the retry of that retry... */
export const RETRY_NUMBER_TAG = "bosun/retry_number";

/** The idempotency key of the retry of a failed run: one retry per failure, whoever creates it. */
export function retryIdempotencyKey(failedRunId: string): string {
  return `retry/${failedRunId}`;
}

/** A run as the admission policy sees it. */
export interface QueuedRunView {
  readonly runId: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly codeLocation: string | null;
  /** The parsed `bosun/priority` tag (0 when absent or not an integer). */
  readonly priority: number;
  /** When the run was created (queued). */
  readonly createdAt: Date;
}

/** What the run coordinator reads in one pass: runs in progress and the queue. */
export interface QueueSnapshot {
  /** Runs in STARTING, STARTED or CANCELING. */
  readonly inProgress: readonly QueuedRunView[];
  /** Queued runs in admission order: priority (higher first), then oldest first. */
  readonly queued: readonly QueuedRunView[];
}

/** Picks, from a consistent snapshot of the queue, the ids of queued runs to start now. Must be pure. */
export type AdmissionPolicy = (snapshot: QueueSnapshot) => readonly string[];

/** The run `createRunOnce` returns, and whether this call created it. */
export interface CreateRunOnceResult {
  readonly run: RunRecord;
  /** False when a run with the same idempotency key existed already (that run is returned). */
  readonly created: boolean;
}

/** The run queue: idempotent run creation, admission of queued runs, and retries. */
export interface RunQueueStorage {
  /**
   * Creates a run unless one with the same idempotency key exists, in which case that run is returned.
   * A schedule tick, a sensor run key or a retry can therefore never create two runs, whatever crashes
   * or second daemon come in between. Throws `RunAlreadyExistsError` when only the run id is taken.
   */
  createRunOnce(run: NewRun, idempotencyKey: string): Promise<CreateRunOnceResult>;
  /** The run created with this idempotency key, if any. */
  getRunByIdempotencyKey(idempotencyKey: string): Promise<RunRecord | null>;
  /**
   * Admits queued runs: under the queue lock, reads the in-progress runs and up to `scanLimit` (default
   * 500) queued runs in admission order (skipping rows another transaction holds), asks `policy` which to
   * start, and moves those to STARTING with a RUN_STARTING event and launch attempt `FIRST_LAUNCH_ATTEMPT`
   * owned by `launchOwner` (the admitting daemon: see `LaunchStorage`). Returns the runs it moved, in order.
   */
  claimQueuedRuns(
    policy: AdmissionPolicy,
    options: { readonly scanLimit?: number; readonly launchOwner: string },
  ): Promise<readonly RunRecord[]>;
  /**
   * Cancels a run that has not been admitted (QUEUED or NOT_STARTED) with a RUN_CANCELED event, atomically
   * with respect to `claimQueuedRuns`. False when the run was in another status by then.
   */
  cancelUnstartedRun(runId: string, reason: string): Promise<boolean>;
  /**
   * Calls `onChange` (possibly coalesced) after a run becomes QUEUED or leaves an in-progress status,
   * from any process, and after a lost listener connection comes back.
   */
  watchQueue(onChange: () => void): Promise<Subscription>;
  /** Failed runs tagged `bosun/max_retries` with retries left and no retry created yet, oldest first. */
  failedRunsToRetry(limit: number): Promise<readonly RunRecord[]>;
}
