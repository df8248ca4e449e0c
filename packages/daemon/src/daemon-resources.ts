import type { Workspace } from "@bosun/code-server";
import type { DaemonSettings } from "@bosun/instance";
import type { RunLauncher, RunRequests } from "@bosun/runs";
import type { BosunStorage } from "@bosun/storage";
import type { Clock } from "./clock.ts";

export type DaemonLogLevel = "info" | "warning" | "error";
export type DaemonLogger = (level: DaemonLogLevel, message: string) => void;

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
}

/** Writes `[bosun-daemon] <level> <message>` lines to stderr. */
export const stderrLogger: DaemonLogger = (level, message) => {
  process.stderr.write(`${new Date().toISOString()} [bosun-daemon] ${level} ${message}\n`);
};
