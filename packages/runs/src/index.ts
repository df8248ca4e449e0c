/**
 * @bosun/runs: creating, launching and terminating runs.
 *
 * May depend on: @bosun/core, bosun (the SDK), @bosun/storage, @bosun/instance, @bosun/engine,
 * @bosun/code-server (LAYERS in .dependency-cruiser.cjs).
 * Each `//` heading is followed by a blank line: Biome then sorts exports within a section, not across.
 */

// Creating runs: the one run-request service every caller uses

export { checkRunTags, type RunTagChecks, type RunTagIssue } from "./run-requests/check-run-tags.ts";
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

// Runs requested by schedules and sensors, and the tags that say so

export {
  RUN_KEY_TAG,
  runTags,
  SCHEDULE_NAME_TAG,
  SENSOR_NAME_TAG,
  TICK_ID_TAG,
} from "./run-requests/run-tags.ts";

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

// Test-only pause points of fault tests (off unless their environment variable is set)

export { pauseForTest } from "./test-pause.ts";

// Plugins: what a package adds to the `bosun` command (run launchers, executors)

export { type BosunPlugin, pluginDefinitionChecks, pluginExecutors } from "./plugins/bosun-plugin.ts";

// Hybrid mode: the requests the control plane sends to agents (launch, terminate, code-server calls, locations)

export { AgentRequests } from "./hybrid/agent-requests.ts";
