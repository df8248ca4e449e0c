import type { LocationEntry } from "@bosun/code-server";
import type { RunRecord } from "@bosun/core";
import { pauseForTest } from "@bosun/runs";
import {
  FIRST_LAUNCH_ATTEMPT,
  type LaunchAttempt,
  type LaunchLease,
  type QueuedRunView,
  type Subscription,
  WORKER_LAUNCH_ATTEMPT_KEY,
} from "@bosun/storage";
import type { DaemonLoop, IterationResult } from "./daemon-loop.ts";
import type { DaemonResources } from "./daemon-resources.ts";
import { locationOfRun } from "./locations.ts";
import { admitRuns } from "./queue-admission.ts";

/**
 * The run queue coordinator.
 *
 * Queue states: a run waits QUEUED until a pass admits it (`admitRuns`: the instance's and the tags'
 * concurrency limits, priority then first-in-first-out); admission moves it to STARTING with a
 * RUN_STARTING event in the same transaction (so two coordinators never admit past a limit); then the
 * launcher starts its worker, whose launcher info (pid, Job name...) this coordinator records; the worker
 * moves the run to STARTED. A launcher error, or a code location that is missing or failed to load, ends
 * the run FAILURE with the reason (through the daemon's `RunEnder`). A run whose location is still loading
 * stays QUEUED, and so does one whose location's server does not answer, until that server has not answered
 * for `unreachable_location_grace_seconds` (a code server restarting, or not yet up when the daemon
 * started); after that it fails, naming the server. The grace counts from the first pass that saw the
 * server unreachable, not from when the run was queued, so a short restart does not fail the runs that have
 * waited longest in a backlog; a pass that sees the server answer again resets it.
 *
 * Launch intent survives a crash: admission commits, with the runs, launch attempt 1 owned by this daemon,
 * which holds a lease (a PostgreSQL session lock) for as long as it lives; the launcher's facts are
 * recorded for that attempt only, and the worker claims the attempt before running anything. Each pass
 * first takes over the runs another daemon admitted but died before recording a worker for (its lease is
 * gone): they get a new attempt and are launched here, and a worker of the old attempt that did start
 * finds its claim refused and exits having run nothing (`LaunchStorage` in `@bosun/storage`). This
 * needs a launcher whose workers claim (`workersClaimLaunches`); with another, such runs wait for
 * `start_timeout_seconds`. A launcher that finds the old attempt's worker started after all, and cannot
 * start a second (a Kubernetes Job named after the run), adopts it: the launch recorded for the new
 * attempt names the worker's attempt, whose claim is then accepted.
 *
 * A pass runs when a run is queued or a slot frees (LISTEN/NOTIFY, from any process) and at least every
 * `dequeue_interval_seconds`.
 */
export class RunQueueCoordinator implements DaemonLoop {
  readonly type = "RUN_QUEUE" as const;
  private subscription: Subscription | null = null;
  /** Per location name: when a pass first saw its server unreachable, for the current outage. */
  private readonly unreachableSince = new Map<string, number>();
  /** Held while this coordinator lives: the launches it owns are not taken over. */
  private lease: LaunchLease | null = null;

  constructor(private readonly resources: DaemonResources) {}

  async start(wake: () => void): Promise<void> {
    this.lease = await this.resources.storage.launches.holdLease(this.resources.daemonId);
    this.subscription = await this.resources.storage.runQueue.watchQueue(wake);
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = null;
    await this.lease?.release();
    this.lease = null;
  }

  nextDelayMs(): number {
    return this.resources.settings.runCoordinator.dequeueIntervalMs;
  }

  async iterate(): Promise<IterationResult> {
    const { storage, settings } = this.resources;
    const limits = settings.runCoordinator;
    this.trackUnreachable();
    const errors: unknown[] = [];
    const launchAll = (attempts: readonly LaunchAttempt[]) =>
      forEachLimited(attempts, limits.maxParallelLaunches, async ({ run, attempt }) => {
        try {
          await this.launch(run, attempt);
        } catch (error) {
          errors.push(error);
        }
      });
    // A run taken over is launched at once: not while a location it may belong to is loading or
    // briefly unreachable, which would fail it where admission would have let it wait.
    if (this.resources.launcher.workersClaimLaunches && !this.anyLocationPending()) {
      const abandoned = await storage.launches.takeOverAbandoned(this.resources.daemonId, TAKEOVERS_PER_PASS);
      for (const { run, previousOwner } of abandoned)
        this.resources.log(
          "warning",
          `run ${run.runId}: daemon ${previousOwner ?? "(unknown)"} admitted it and is gone before launching it; launching it here`,
        );
      await launchAll(abandoned);
    }
    const claimed = await storage.runQueue.claimQueuedRuns(
      (snapshot) => admitRuns(snapshot, limits, (run) => !this.waitsForLocation(run)),
      { launchOwner: this.resources.daemonId },
    );
    // Fault tests stop here: the runs are STARTING and no worker exists yet.
    if (claimed.length > 0) await pauseForTest("BOSUN_TEST_PAUSE_AFTER_ADMISSION");
    await launchAll(claimed.map((run) => ({ run, attempt: FIRST_LAUNCH_ATTEMPT, previousOwner: null })));
    return { errors };
  }

  /** Notes when each location's server was first seen unreachable; forgets it once the server answers. */
  private trackUnreachable(): void {
    const now = this.resources.clock.now();
    const unreachable = new Set<string>();
    for (const location of this.resources.workspace.list()) {
      if (!isUnreachable(location)) continue;
      unreachable.add(location.name);
      if (!this.unreachableSince.has(location.name)) this.unreachableSince.set(location.name, now);
    }
    for (const name of this.unreachableSince.keys())
      if (!unreachable.has(name)) this.unreachableSince.delete(name);
  }

  /** How long the location's server has not answered, as far as this coordinator has seen. */
  private unreachableForMs(location: LocationEntry): number {
    const now = this.resources.clock.now();
    return now - (this.unreachableSince.get(location.name) ?? now);
  }

  /** Whether some location is loading, or unreachable within the grace period. */
  private anyLocationPending(): boolean {
    const grace = this.resources.settings.runCoordinator.unreachableLocationGraceMs;
    return this.resources.workspace
      .list()
      .some(
        (location) =>
          location.status === "LOADING" ||
          (isUnreachable(location) && this.unreachableForMs(location) < grace),
      );
  }

  /** Whether a queued run should wait for its location: loading, or unreachable within the grace period. */
  private waitsForLocation(run: QueuedRunView): boolean {
    const location = locationOfRun(this.resources.workspace, run);
    if (location?.status === "LOADING") return true;
    return (
      location !== undefined &&
      isUnreachable(location) &&
      this.unreachableForMs(location) < this.resources.settings.runCoordinator.unreachableLocationGraceMs
    );
  }

  /**
   * Hands an admitted run to the launcher for `attempt`; any reason it cannot start ends it FAILURE,
   * unless a daemon has relaunched it meanwhile.
   */
  private async launch(run: RunRecord, attempt: number): Promise<void> {
    const { storage, workspace, launcher, runEnder, log } = this.resources;
    const location = locationOfRun(workspace, run);
    let reason: string | null = null;
    let cause: unknown;
    if (!location) {
      reason =
        run.codeLocation === null
          ? "the run names no code location and the workspace has more than one"
          : `code location "${run.codeLocation}" is not in the workspace`;
    } else if (isUnreachable(location)) {
      const seconds = (ms: number) => Math.round(ms / 100) / 10;
      const grace = this.resources.settings.runCoordinator.unreachableLocationGraceMs;
      reason = `code location "${location.name}" has not answered for ${seconds(this.unreachableForMs(location))} s (unreachable_location_grace_seconds: ${seconds(grace)}): ${location.error?.message}`;
    } else if (location.status === "ERROR" || !location.snapshot) {
      reason = `code location "${location.name}" failed to load${location.error ? `: ${location.error.message}` : ""}`;
    } else {
      try {
        const info = await launcher.launch(run, location, attempt);
        // Fault tests stop here: the worker exists, its launch is not recorded yet.
        await pauseForTest("BOSUN_TEST_PAUSE_AFTER_LAUNCH");
        const workerAttempt = info[WORKER_LAUNCH_ATTEMPT_KEY];
        if (await storage.launches.recordLaunch(run.runId, attempt, info))
          log(
            "info",
            typeof workerAttempt === "number" && workerAttempt !== attempt
              ? `run ${run.runId}: its worker of launch attempt ${workerAttempt} was started already (the ${launcher.name} launcher found it); launch attempt ${attempt} uses it instead of starting another`
              : `launched run ${run.runId} (${run.jobName}) with the ${launcher.name} launcher`,
          );
        else
          log(
            "warning",
            `run ${run.runId}: launch attempt ${attempt} was superseded while starting; its worker will give way`,
          );
        return;
      } catch (error) {
        reason = `the ${launcher.name} run launcher could not start the run worker: ${(error as Error)?.message ?? String(error)}`;
        cause = error;
      }
    }
    const ending = { status: "FAILURE", reason, ...(cause !== undefined ? { error: cause } : {}) } as const;
    // Whatever the run's status now (a terminate may have come meanwhile), it has no worker: it fails.
    await runEnder.endUnfinishedRun(run.runId, async () => ending, attempt);
  }
}

/** Most abandoned launches one pass takes over; the next pass takes the rest. */
const TAKEOVERS_PER_PASS = 100;

/** Runs `fn` over `items` with at most `limit` at a time. */
async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

/** A location in ERROR because its code server did not answer (rather than because its code failed to load). */
function isUnreachable(location: LocationEntry): boolean {
  return location.status === "ERROR" && location.error?.className === "CodeLocationUnavailableError";
}
