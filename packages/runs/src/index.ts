/** @bosun/runs: creating, launching and terminating runs. */

export { createReexecution, createRun, type LaunchRequest } from "./create-run.ts";
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
export { type BosunPlugin, pluginExecutors } from "./plugins/bosun-plugin.ts";
export {
  InvalidRunRequestError,
  RUN_KEY_TAG,
  requestRun,
  SCHEDULE_NAME_TAG,
  SENSOR_NAME_TAG,
  TICK_ID_TAG,
} from "./request-run.ts";
export { failRun, runEvent, runFailureEvent } from "./run-events.ts";
export { RunNotTerminableError, type TerminateResult, terminateRun } from "./terminate-run.ts";
