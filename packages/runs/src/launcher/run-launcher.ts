import type { LocationEntry } from "@bosun/code-server";
import type { RunRecord } from "@bosun/core";
import type { Instance } from "@bosun/instance";

/** Whether a run's worker is still alive, as its launcher can tell. */
export interface RunHealth {
  /** RUNNING: the worker is alive; NOT_FOUND / FAILED: it is gone or failed (with why); UNKNOWN: cannot tell. */
  readonly status: "RUNNING" | "NOT_FOUND" | "FAILED" | "UNKNOWN";
  readonly message?: string;
}

/**
 * Starts run workers (`bosun api execute-run`) somewhere: a local process (DefaultRunLauncher) or a
 * Kubernetes Job (K8sRunLauncher). The daemon's run coordinator calls `launch` for a run it admitted
 * (the run is STARTING); the run monitor calls `checkHealth`; the API's terminate calls `terminate`.
 */
export interface RunLauncher {
  readonly name: string;
  /** Starts the worker and records what it knows about it with `runs.mergeLauncherInfo`. */
  launch(run: RunRecord, location: LocationEntry): Promise<void>;
  /** Asks the worker to stop (it ends the run CANCELED); false when there was nothing to stop. */
  terminate(run: RunRecord): Promise<boolean>;
  checkHealth(run: RunRecord): Promise<RunHealth>;
  close(): Promise<void>;
}

/** Builds a run launcher from its `run_launcher.<kind>` section of `bosun.yaml` (what a plugin provides). */
export type RunLauncherFactory = (
  instance: Pick<Instance, "storage" | "childEnv" | "home">,
  config: Readonly<Record<string, unknown>>,
) => RunLauncher | Promise<RunLauncher>;
