/**
 * @bosun/daemon: the daemon's loops (run queue, scheduler, sensors, run monitor, retention).
 *
 * May depend on: @bosun/core, bosun (the SDK), @bosun/storage, @bosun/instance, @bosun/engine,
 * @bosun/code-server, @bosun/runs (LAYERS in .dependency-cruiser.cjs).
 * Each `//` heading is followed by a blank line: Biome then sorts exports within a section, not across.
 */

// Starting the daemon

export {
  type DeploymentDaemons,
  type DeploymentDaemonsOptions,
  startDeploymentDaemons,
} from "./deployment-daemons.ts";
export { DAEMON_TYPES, type DaemonHandle, type StartDaemonOptions, startDaemon } from "./start-daemon.ts";

// What the loops share: storage, workspace, launcher, logger

export type { DaemonLogger, DaemonLogLevel, DaemonResources } from "./daemon-resources.ts";

// Clocks: the real one, and one tests move by hand

export { type Clock, systemClock } from "./clock.ts";
export { ManualClock } from "./manual-clock.ts";

// Partition status as people see it: counts, the status bar, filtered pages, keys to backfill

export {
  listPartitionStatusViews,
  type PartitionCounts,
  type PartitionStatusPage,
  type PartitionStatusSummary,
  type PartitionStatusView,
  partitionCounts,
  partitionKeysInStatus,
  partitionStatusSummary,
  STATUS_BAR_SEGMENTS,
  type StatusBarSegment,
} from "./assets/partition-status-view.ts";

// Run queue admission

export { admitRuns, type QueueLimits, queueBlockReason } from "./queue-admission.ts";

// Schedules and sensors as people see them: listing, starting and stopping, previews

export {
  evaluateScheduleTick,
  evaluateSensorFromState,
  previewSchedule,
  previewSensor,
  type SchedulePreviewTick,
  type SensorEvaluation,
} from "./instigator-evaluation.ts";
export {
  findSchedule,
  findSensor,
  type InstigatorLocation,
  InstigatorNotFoundError,
  listScheduleViews,
  listSensorViews,
  nextScheduleTickAfter,
  type ScheduleView,
  type SensorView,
  setInstigatorStatus,
} from "./instigator-views.ts";
