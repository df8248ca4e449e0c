import { IN_PROGRESS_RUN_STATUSES, type RunRecord } from "@bosun/core";
import type { DaemonLoop, IterationResult, PassTrigger } from "./daemon-loop.ts";
import type { DaemonResources } from "./daemon-resources.ts";
import { LauncherObserver } from "./launcher-observer.ts";

const PAGE = 500;
const RETRIES_PER_PASS = 100;

/**
 * The run monitor. Every `poll_interval_seconds` (and on every requested pass) it looks at every run in
 * progress:
 *
 * - STARTING longer than `start_timeout_seconds` (its worker never reported RUN_START): FAILURE, and the
 *   launcher is asked to stop whatever it started.
 * - STARTING or STARTED whose worker the launcher reports gone (NOT_FOUND) or failed (FAILED): FAILURE
 *   with the launcher's reason.
 * - CANCELING whose worker is gone, or longer than `cancel_timeout_seconds`: CANCELED.
 *
 * Heartbeats are looked at more often, every `worker_heartbeat_interval_seconds`: a STARTED run whose
 * worker heartbeat is older than `worker_heartbeat_timeout_seconds` (or that never beat that long after
 * it started) fails, its worker presumed dead (workers beat from a thread of their own: a beat proves the
 * process alive, not that its steps make progress). That is how a worker is found dead when no live
 * launcher saw it exit (the daemon that launched it died too; it runs elsewhere). The verdict needs the
 * monitor itself to have reached the database for the whole timeout: after a database outage, during
 * which no worker could write, workers get that long to beat again before any is judged.
 *
 * Then failed runs tagged `bosun/max_retries` with retries left get a retry: a new QUEUED run of the same
 * job, config and steps, linked to the failed one (`parentRunId`, `bosun/parent_run_id`) and numbered
 * (`bosun/retry_number`). The retry's idempotency key is the failed run's id, so one failure never gets two
 * retries, whichever daemon sees it.
 *
 * Between passes, a launcher that learns about its workers as things happen (the Kubernetes launcher's
 * watches) reports to this monitor (`RunLauncher.observe`, from `start` to `stop`): warnings become
 * ENGINE_EVENTs, facts about the worker go into the run's launcher info, and a worker that ended or
 * cannot run ends its run at once, as the launcher describes it (a report and FAILURE, or CANCELED
 * when the run was being canceled). The poll still asks `checkHealth`, for what a report missed.
 *
 * Every reason is written as the run's RUN_FAILURE / RUN_CANCELED event, by the daemon's one `RunEnder`:
 * when the poll and a launcher's report see the same dead worker, the run ends once, with the first
 * reason. Health is only asked of runs this daemon's launcher started (`launcherInfo.launcher`); others
 * rely on the heartbeat.
 */
export class RunMonitor implements DaemonLoop {
  readonly type = "RUN_MONITOR" as const;
  private stopObserving: (() => Promise<void>) | null = null;
  private lastFullPassAt: number | null = null;
  /** Since when every heartbeat check reached the database; null after one failed. */
  private reachableSince: number | null = null;

  constructor(private readonly resources: DaemonResources) {}

  async start(): Promise<void> {
    this.stopObserving = this.resources.launcher.observe?.(new LauncherObserver(this.resources)) ?? null;
  }

  async stop(): Promise<void> {
    await this.stopObserving?.();
    this.stopObserving = null;
  }

  nextDelayMs(): number {
    const monitoring = this.resources.settings.runMonitoring;
    return Math.min(monitoring.pollIntervalMs, monitoring.workerHeartbeatIntervalMs);
  }

  async iterate(trigger: PassTrigger): Promise<IterationResult> {
    const now = this.resources.clock.now();
    const pollIntervalMs = this.resources.settings.runMonitoring.pollIntervalMs;
    const full =
      trigger === "requested" || this.lastFullPassAt === null || now - this.lastFullPassAt >= pollIntervalMs;
    if (!full) {
      const errors: unknown[] = [];
      await this.checkHeartbeats().catch((error: unknown) => errors.push(error));
      return { errors };
    }
    this.lastFullPassAt = now;
    return this.fullPass(now);
  }

  private async fullPass(now: number): Promise<IterationResult> {
    const errors: unknown[] = [];
    let inProgress: RunRecord[];
    try {
      inProgress = await this.runsInProgress();
    } catch (error) {
      // The database is away (or failing): no worker can write a heartbeat now either.
      this.reachableSince = null;
      throw error;
    }
    for (const run of inProgress) {
      try {
        await this.check(run, now);
      } catch (error) {
        errors.push(
          new Error(`run ${run.runId}: ${(error as Error)?.message ?? String(error)}`, { cause: error }),
        );
      }
    }
    try {
      await this.checkHeartbeats();
    } catch (error) {
      errors.push(error);
    }
    try {
      await this.retryFailedRuns(errors);
    } catch (error) {
      errors.push(error);
    }
    return { errors };
  }

  private async runsInProgress(): Promise<RunRecord[]> {
    const runs: RunRecord[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.resources.storage.runs.listRuns(
        { statuses: [...IN_PROGRESS_RUN_STATUSES] },
        { limit: PAGE, cursor },
      );
      runs.push(...page.runs);
      cursor = page.nextCursor;
    } while (cursor);
    return runs;
  }

  private async check(run: RunRecord, now: number): Promise<void> {
    const { launcher, settings } = this.resources;
    const monitoring = settings.runMonitoring;
    const ours = run.launcherInfo.launcher === launcher.name;
    switch (run.status) {
      case "STARTING": {
        const startingFor = now - run.updatedAt.getTime();
        if (startingFor > monitoring.startTimeoutMs) {
          await launcher.terminate(run).catch(() => false);
          await this.fail(
            run,
            `the run worker did not start within run_monitoring.start_timeout_seconds (${monitoring.startTimeoutMs / 1000} s)`,
          );
          return;
        }
        if (ours) await this.failIfWorkerGone(run);
        return;
      }
      case "STARTED":
        if (ours) await this.failIfWorkerGone(run);
        return;
      case "CANCELING": {
        const health = ours ? await launcher.checkHealth(run) : null;
        const gone = health?.status === "NOT_FOUND" || health?.status === "FAILED";
        const cancelingFor = now - run.updatedAt.getTime();
        if (gone || cancelingFor > monitoring.cancelTimeoutMs) {
          const reason = gone
            ? `the run worker ended without finishing the cancellation (${health?.message ?? health?.status})`
            : `the run worker did not finish canceling within run_monitoring.cancel_timeout_seconds (${monitoring.cancelTimeoutMs / 1000} s)`;
          await this.resources.runEnder.endRun(run, { status: "CANCELED", reason });
        }
        return;
      }
      default:
        return;
    }
  }

  private async failIfWorkerGone(run: RunRecord): Promise<void> {
    const health = await this.resources.launcher.checkHealth(run);
    if (health.status !== "NOT_FOUND" && health.status !== "FAILED") return;
    const what = health.status === "NOT_FOUND" ? "is gone" : "failed";
    await this.fail(run, `the run worker ${what}${health.message ? `: ${health.message}` : ""}`);
  }

  private async checkHeartbeats(): Promise<void> {
    const { clock, settings, storage } = this.resources;
    const now = clock.now();
    const timeoutMs = settings.runMonitoring.workerHeartbeatTimeoutMs;
    let stale: Awaited<ReturnType<typeof storage.heartbeats.runsWithStaleHeartbeat>>;
    try {
      stale = await storage.heartbeats.runsWithStaleHeartbeat(new Date(now - timeoutMs));
    } catch (error) {
      this.reachableSince = null;
      throw error;
    }
    this.reachableSince ??= now;
    if (now - this.reachableSince < timeoutMs) return;
    for (const { runId, lastHeartbeat } of stale) {
      const run = await this.resources.storage.runs.getRun(runId);
      if (run?.status !== "STARTED") continue;
      const lastSign = lastHeartbeat ?? run.startTime;
      if (lastSign === null) continue;
      if (now - lastSign.getTime() <= timeoutMs) continue;
      const what = lastHeartbeat
        ? `last heartbeat ${Math.round((now - lastHeartbeat.getTime()) / 1000)} s ago`
        : "no heartbeat since it started";
      await this.fail(
        run,
        `the run worker stopped sending heartbeats (${what}; run_monitoring.worker_heartbeat_timeout_seconds is ${timeoutMs / 1000} s)`,
      );
    }
  }

  private async retryFailedRuns(errors: unknown[]): Promise<void> {
    const { storage, runRequests, log } = this.resources;
    const failed = await storage.runQueue.failedRunsToRetry(RETRIES_PER_PASS);
    for (const run of failed) {
      try {
        const { run: retry, created, retryNumber } = await runRequests.retry(run);
        if (created)
          log("info", `run ${run.runId} failed: queued retry ${retryNumber} as run ${retry.runId}`);
      } catch (error) {
        errors.push(
          new Error(`retry of run ${run.runId}: ${(error as Error)?.message ?? String(error)}`, {
            cause: error,
          }),
        );
      }
    }
  }

  /** FAILURE with the reason, unless the run's status changed since it was read (the verdict was about that status). */
  private async fail(run: RunRecord, reason: string): Promise<void> {
    await this.resources.runEnder.endRun(run, { status: "FAILURE", reason });
  }
}
