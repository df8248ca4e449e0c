import type { Workspace } from "@bosun/code-server";
import type { DaemonSettings } from "@bosun/instance";
import type { RunLauncher, RunRequests } from "@bosun/runs";
import type { BosunStorage } from "@bosun/storage";
import type { Clock } from "./clock.ts";
import type { DaemonLogger } from "./daemon-logger.ts";
import type { RunEnder } from "./run-ender.ts";

export type { DaemonLogger, DaemonLogLevel } from "./daemon-logger.ts";

/** What every daemon loop shares: one object, built once by `startDaemon`, everything injectable. */
export interface DaemonResources {
  readonly storage: BosunStorage;
  readonly workspace: Workspace;
  /** Where schedules, sensors and retries create their runs. */
  readonly runRequests: RunRequests;
  readonly launcher: RunLauncher;
  readonly settings: DaemonSettings;
  readonly clock: Clock;
  /** Unique per daemon process; heartbeats are keyed by it. */
  readonly daemonId: string;
  readonly log: DaemonLogger;
  /** The one writer of a run's end outside its worker (run monitor, launcher reports, failed launches). */
  readonly runEnder: RunEnder;
}
