import type { TagConcurrencyLimit } from "@bosun/instance";
import type { QueuedRunView, QueueSnapshot } from "@bosun/storage";

/** The run coordinator's limits: runs in progress across the instance and per tag. */
export interface QueueLimits {
  /** null: no limit. */
  readonly maxConcurrentRuns: number | null;
  readonly tagConcurrencyLimits: readonly TagConcurrencyLimit[];
}

/**
 * The run queue's admission rule, as a pure function of one snapshot of the queue.
 *
 * Queued runs are considered in admission order (priority, then oldest first). A run starts when the
 * instance is below `maxConcurrentRuns` and every tag limit that applies to it has room, counting runs in
 * progress plus those admitted earlier in the same pass. A run held back by a tag limit does not hold
 * back the runs behind it; once the instance limit is reached nothing more starts. `isReady` can keep a
 * run queued for now (its code location is still loading) without counting it.
 *
 * Tag limits: `{key}` counts every run carrying the tag, `{key, value}` the runs whose tag has that
 * value, `{key, perUniqueValue}` each distinct value of the tag separately.
 */
export function admitRuns(
  snapshot: QueueSnapshot,
  limits: QueueLimits,
  isReady: (run: QueuedRunView) => boolean = () => true,
): string[] {
  let inProgress = snapshot.inProgress.length;
  const counts = limits.tagConcurrencyLimits.map(() => new Map<string, number>());
  const take = (run: QueuedRunView) => {
    limits.tagConcurrencyLimits.forEach((limit, index) => {
      const bucket = bucketOf(limit, run);
      if (bucket !== null) counts[index]!.set(bucket, (counts[index]!.get(bucket) ?? 0) + 1);
    });
  };
  for (const run of snapshot.inProgress) take(run);

  const admitted: string[] = [];
  for (const run of snapshot.queued) {
    if (limits.maxConcurrentRuns !== null && inProgress >= limits.maxConcurrentRuns) break;
    if (!isReady(run)) continue;
    const blocked = limits.tagConcurrencyLimits.some((limit, index) => {
      const bucket = bucketOf(limit, run);
      return bucket !== null && (counts[index]!.get(bucket) ?? 0) >= limit.limit;
    });
    if (blocked) continue;
    admitted.push(run.runId);
    take(run);
    inProgress++;
  }
  return admitted;
}

/** Which counter of `limit` the run falls in, or null when the limit does not apply to it. */
function bucketOf(limit: TagConcurrencyLimit, run: QueuedRunView): string | null {
  const value = run.tags[limit.key];
  if (value === undefined) return null;
  if (limit.perUniqueValue) return value;
  if (limit.value !== undefined) return value === limit.value ? "" : null;
  return "";
}

/** Why a run is still queued, for the UI and logs; null when nothing holds it back. */
export function queueBlockReason(
  run: QueuedRunView,
  snapshot: QueueSnapshot,
  limits: QueueLimits,
): string | null {
  if (limits.maxConcurrentRuns !== null && snapshot.inProgress.length >= limits.maxConcurrentRuns)
    return `max_concurrent_runs (${limits.maxConcurrentRuns}) runs are in progress`;
  for (const limit of limits.tagConcurrencyLimits) {
    const bucket = bucketOf(limit, run);
    if (bucket === null) continue;
    const count = snapshot.inProgress.filter((other) => bucketOf(limit, other) === bucket).length;
    if (count >= limit.limit) {
      const which =
        limit.perUniqueValue || limit.value !== undefined ? `${limit.key}=${run.tags[limit.key]}` : limit.key;
      return `tag concurrency limit for ${which} (${limit.limit}) is reached`;
    }
  }
  return null;
}
