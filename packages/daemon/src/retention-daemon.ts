import type { TickRetention } from "@bosun/instance";
import type { FinishedTickStatus, InstigatorKind, PurgeResult } from "@bosun/storage";
import type { DaemonLoop, IterationResult } from "./daemon-loop.ts";
import type { DaemonResources } from "./daemon-resources.ts";

/** Batches of one kind of data deleted in one pass; a larger backlog is taken up again soon after. */
const MAX_BATCHES_PER_PURGE = 50;
/** Pause before the next pass while a backlog is left. */
const BACKLOG_DELAY_MS = 1000;

/**
 * The RETENTION loop. Each pass deletes, by the `retention` section of `bosun.yaml` and the daemon's
 * clock:
 *
 * - schedule and sensor ticks older than their status's `purge_after_days` (ticks still STARTED, and
 *   the newest tick of each schedule or sensor, are kept);
 * - finished runs (SUCCESS, FAILURE, CANCELED) that ended more than `runs.purge_after_days` ago, with
 *   their events, compute logs, stored outputs and heartbeats;
 * - audit log entries recorded more than `audit.purge_after_days` ago (a year by default).
 *
 * Deletes go in batches of 1,000, one transaction each, at most 50 batches of each kind per pass; when
 * that leaves a backlog the next pass comes after a second instead of `interval_seconds`. Several
 * daemons may run the loop: their batches skip each other's rows.
 */
export class RetentionDaemon implements DaemonLoop {
  readonly type = "RETENTION" as const;
  private backlog = false;

  constructor(private readonly resources: DaemonResources) {}

  nextDelayMs(): number {
    return this.backlog ? BACKLOG_DELAY_MS : this.resources.settings.retention.intervalMs;
  }

  async iterate(): Promise<IterationResult> {
    const { settings, clock } = this.resources;
    const now = clock.now();
    const errors: unknown[] = [];
    let backlog = false;
    const attempt = async (what: string, purge: () => Promise<PurgeResult>) => {
      try {
        const result = await purge();
        if (!result.complete) backlog = true;
        if (result.deleted > 0)
          this.resources.log(
            "info",
            `retention: deleted ${result.deleted} ${what}${result.complete ? "" : " (more left for the next pass)"}`,
          );
      } catch (error) {
        errors.push(
          new Error(`purging ${what}: ${(error as Error)?.message ?? String(error)}`, { cause: error }),
        );
      }
    };
    for (const kind of ["schedule", "sensor"] as const) {
      for (const group of groupByAge(settings.retention[kind])) {
        await attempt(`${group.statuses.join("/")} ${kind} ticks older than ${days(group.ms)}`, () =>
          this.purgeTicks(kind, group.statuses, new Date(now - group.ms)),
        );
      }
    }
    const runsAfter = settings.retention.runs.purgeAfterMs;
    if (runsAfter !== null) {
      await attempt(`finished runs that ended more than ${days(runsAfter)} ago`, () =>
        this.resources.storage.retention.purgeRuns(new Date(now - runsAfter), {
          maxBatches: MAX_BATCHES_PER_PURGE,
        }),
      );
    }
    const auditAfter = settings.retention.audit.purgeAfterMs;
    if (auditAfter !== null) {
      await attempt(`audit log entries older than ${days(auditAfter)}`, () =>
        this.resources.storage.retention.purgeAudit(new Date(now - auditAfter), {
          maxBatches: MAX_BATCHES_PER_PURGE,
        }),
      );
    }
    this.backlog = backlog;
    return { errors };
  }

  private purgeTicks(
    kind: InstigatorKind,
    statuses: readonly FinishedTickStatus[],
    before: Date,
  ): Promise<PurgeResult> {
    return this.resources.storage.retention.purgeTicks(kind, statuses, before, {
      maxBatches: MAX_BATCHES_PER_PURGE,
    });
  }
}

/** Statuses that share one age limit go in one purge; statuses kept forever are left out. */
function groupByAge(
  retention: TickRetention,
): { readonly ms: number; readonly statuses: FinishedTickStatus[] }[] {
  const groups = new Map<number, FinishedTickStatus[]>();
  for (const status of ["SKIPPED", "SUCCESS", "FAILURE"] as const) {
    const ms = retention[status];
    if (ms === null) continue;
    groups.set(ms, [...(groups.get(ms) ?? []), status]);
  }
  return [...groups].map(([ms, statuses]) => ({ ms, statuses }));
}

function days(ms: number): string {
  const value = ms / 86_400_000;
  return `${Number.isInteger(value) ? value : value.toFixed(2)} day${value === 1 ? "" : "s"}`;
}
