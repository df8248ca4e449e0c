/** @bosun/runs: creating, launching and terminating runs. */

export {
  createRunLauncher,
  type RunLauncherFactory,
  UnknownRunLauncherError,
} from "./launcher/create-run-launcher.ts";
export { DefaultRunLauncher, type DefaultRunLauncherOptions } from "./launcher/default-run-launcher.ts";
export type { RunHealth, RunLauncher } from "./launcher/run-launcher.ts";
export { type BosunPlugin, pluginExecutors } from "./plugins/bosun-plugin.ts";
export { failRun, runEvent } from "./run-events.ts";
export {
  CodeLocationNotLoadedError,
  inProcessLocation,
  type RunCodeLocation,
  type RunCodeLocations,
  workspaceLocations,
} from "./run-requests/code-locations.ts";
export { type InstigatorTick, instigatorIdempotencyKey } from "./run-requests/idempotency-keys.ts";
export { chooseReexecutionSteps, type ReexecutionMode } from "./run-requests/reexecution-steps.ts";
export {
  AssetNotFoundError,
  InvalidRunConfigError,
  JobNotFoundError,
  NothingToReexecuteError,
  RunNotFinishedError,
  RunRequestError,
  RunRequestFieldsError,
  RunRequestRefusedError,
  RunWithoutCodeLocationError,
} from "./run-requests/run-request-errors.ts";
export {
  type InstigatorRunRequest,
  type LaunchRequest,
  type NewRunStatus,
  type ReexecuteRequest,
  type RetryResult,
  RunRequests,
} from "./run-requests/run-requests.ts";
export {
  RUN_KEY_TAG,
  runTags,
  SCHEDULE_NAME_TAG,
  SENSOR_NAME_TAG,
  TICK_ID_TAG,
} from "./run-requests/run-tags.ts";
export { RunNotTerminableError, type TerminateResult, terminateRun } from "./terminate-run.ts";
