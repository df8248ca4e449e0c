/**
 * @bosun/runs: creating, launching and terminating runs.
 *
 * May depend on: @bosun/core, bosun (the SDK), @bosun/storage, @bosun/instance, @bosun/engine,
 * @bosun/code-server (LAYERS in .dependency-cruiser.cjs).
 * Each `//` heading is followed by a blank line: Biome then sorts exports within a section, not across.
 */

// Creating runs: launches and re-executions

export { createReexecution, createRun, type LaunchRequest } from "./create-run.ts";

// Runs requested by schedules and sensors, and the tags that say so

export {
  InvalidRunRequestError,
  RUN_KEY_TAG,
  requestRun,
  SCHEDULE_NAME_TAG,
  SENSOR_NAME_TAG,
  TICK_ID_TAG,
} from "./request-run.ts";

// Run launchers: starting run workers and checking on them

export {
  createRunLauncher,
  UnknownRunLauncherError,
} from "./launcher/create-run-launcher.ts";
export { DefaultRunLauncher, type DefaultRunLauncherOptions } from "./launcher/default-run-launcher.ts";
export type {
  LauncherInfo,
  RunEnding,
  RunHealth,
  RunLauncher,
  RunLauncherFactory,
  RunObserver,
  UnfinishedRunStatus,
} from "./launcher/run-launcher.ts";

// Ending runs: termination and the events that record it

export { failRun, runEvent, runFailureEvent } from "./run-events.ts";
export { RunNotTerminableError, type TerminateResult, terminateRun } from "./terminate-run.ts";

// Plugins: what a package adds to the `bosun` command (run launchers, executors)

export { type BosunPlugin, pluginExecutors } from "./plugins/bosun-plugin.ts";
