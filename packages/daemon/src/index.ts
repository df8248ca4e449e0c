/** @bosun/daemon: the daemon's loops (run queue, scheduler, sensors, run monitor, retention). */

export { type Clock, systemClock } from "./clock.ts";
export type { DaemonLogger, DaemonLogLevel, DaemonResources } from "./daemon-resources.ts";
export { ManualClock } from "./manual-clock.ts";
export { admitRuns, type QueueLimits, queueBlockReason } from "./queue-admission.ts";
export { DAEMON_TYPES, type DaemonHandle, type StartDaemonOptions, startDaemon } from "./start-daemon.ts";
