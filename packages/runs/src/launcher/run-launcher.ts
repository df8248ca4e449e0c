import type { LocationEntry } from "@bosun/code-server";
import type { JsonValue, RunRecord, RunStatus } from "@bosun/core";
import type { Instance } from "@bosun/instance";

/** Whether a run's worker is still alive, as its launcher can tell. */
export interface RunHealth {
  /** RUNNING: the worker is alive; NOT_FOUND / FAILED: it is gone or failed (with why); UNKNOWN: cannot tell. */
  readonly status: "RUNNING" | "NOT_FOUND" | "FAILED" | "UNKNOWN";
  readonly message?: string;
}

/** Facts about a run's worker (pid and host, Job name and namespace, pods...), merged into the run's launcher info. */
export type LauncherInfo = Readonly<Record<string, JsonValue>>;

/** The statuses of a run whose worker may be running. */
export type UnfinishedRunStatus = Extract<RunStatus, "STARTING" | "STARTED" | "CANCELING">;

/** How a run ends because of what its launcher found out about its worker. */
export interface RunEnding {
  readonly status: "FAILURE" | "CANCELED";
  /** Readable on its own: the reason of the RUN_FAILURE / RUN_CANCELED event. */
  readonly reason: string;
  /** A longer report for the run page (pod states, log tail...), written as an ENGINE_EVENT at level error just before the end. */
  readonly report?: { readonly message: string; readonly detail: Readonly<Record<string, JsonValue>> };
}

/**
 * What a launcher that learns about its workers as things happen (a Kubernetes watch) reports, to the
 * daemon's run monitor, which writes it: a launcher never writes to storage. Each call resolves once
 * what it reports is stored (or was found moot), so a launcher can order what it does after it.
 */
export interface RunObserver {
  /** Something the run's owner should see now (a Kubernetes Warning event): an ENGINE_EVENT at level warning, while the run is unfinished. */
  warning(runId: string, message: string, detail: Readonly<Record<string, JsonValue>>): Promise<void>;
  /** New facts about the worker (its pods and their states) for the run's launcher info. */
  launcherInfoChanged(runId: string, info: LauncherInfo): Promise<void>;
  /**
   * The run's worker ended, or can never run. Unless the run already ended, the run monitor ends it as
   * `describe` says given the run's current status (a launcher cannot know whether someone, maybe in
   * another process, is canceling the run). With `launchAttempt`, only while that attempt is still the
   * run's current one (a worker of a superseded attempt ending says nothing about the run). Resolves to
   * whether this call ended the run.
   */
  workerEnded(
    runId: string,
    describe: (status: UnfinishedRunStatus) => Promise<RunEnding>,
    launchAttempt?: number,
  ): Promise<boolean>;
}

/**
 * Starts run workers (`bosun api execute-run`) somewhere: a local process (DefaultRunLauncher) or a
 * Kubernetes Job (K8sRunLauncher). The daemon's run coordinator calls `launch` for a run it admitted
 * (the run is STARTING) and records what it returns; the run monitor calls `checkHealth` and `observe`;
 * the API's terminate calls `terminate`. Launchers do not write to storage: the daemon's run monitor is
 * the one writer of a run's end outside its worker.
 */
export interface RunLauncher {
  readonly name: string;
  /**
   * Whether this launcher's workers claim their launch attempt before running anything (`bosun api
   * execute-run --launch-attempt`). Only then may a daemon relaunch a run whose admitting daemon died
   * before recording its worker: a worker of the superseded attempt gives way instead of running too.
   * Without it such runs wait for `run_monitoring.start_timeout_seconds`.
   */
  readonly workersClaimLaunches?: boolean;
  /**
   * Starts the worker of `launchAttempt` (see `LaunchStorage` in `@bosun/storage`), which the worker
   * claims before running anything; resolves to what the caller records in the run's launcher info.
   */
  launch(run: RunRecord, location: LocationEntry, launchAttempt: number): Promise<LauncherInfo>;
  /** Asks the worker to stop (it ends the run CANCELED); false when there was nothing to stop. */
  terminate(run: RunRecord): Promise<boolean>;
  checkHealth(run: RunRecord): Promise<RunHealth>;
  /**
   * For a launcher that learns about its workers as things happen: from now on, report to `observer`
   * (one observer at a time). Returns a function that stops the reports. A launcher that is not
   * observed learns only when asked (`checkHealth`).
   */
  observe?(observer: RunObserver): () => Promise<void>;
  close(): Promise<void>;
}

/** Builds a run launcher from its `run_launcher.<kind>` section of `bosun.yaml` (what a plugin provides). */
export type RunLauncherFactory = (
  instance: Pick<Instance, "childEnv" | "home">,
  config: Readonly<Record<string, unknown>>,
) => RunLauncher | Promise<RunLauncher>;
