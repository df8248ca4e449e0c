/** @bosun/runs: creating, launching and terminating runs. */

export { createReexecution, createRun, type LaunchRequest } from "./create-run.ts";
export {
  createRunLauncher,
  type RunLauncherFactory,
  UnknownRunLauncherError,
} from "./launcher/create-run-launcher.ts";
export { DefaultRunLauncher, type DefaultRunLauncherOptions } from "./launcher/default-run-launcher.ts";
export type { RunHealth, RunLauncher } from "./launcher/run-launcher.ts";
export { type BosunPlugin, pluginDefinitionChecks, pluginExecutors } from "./plugins/bosun-plugin.ts";
export {
  InvalidRunRequestError,
  RUN_KEY_TAG,
  requestRun,
  SCHEDULE_NAME_TAG,
  SENSOR_NAME_TAG,
  TICK_ID_TAG,
} from "./request-run.ts";
export { failRun, runEvent } from "./run-events.ts";
export { RunNotTerminableError, type TerminateResult, terminateRun } from "./terminate-run.ts";
