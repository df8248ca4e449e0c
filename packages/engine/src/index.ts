/**
 * @bosun/engine: execution plans, executors and the step runtime; loading a code location's definitions.
 *
 * May depend on: @bosun/core, bosun (the SDK), @bosun/storage, @bosun/instance (LAYERS in
 * .dependency-cruiser.cjs).
 * Each `//` heading is followed by a blank line: Biome then sorts exports within a section, not across.
 */

// Loading a code location's definitions

export {
  assertDefinitionsPassChecks,
  checkDefinitions,
  type DefinitionProblem,
  describeProblem,
} from "./code-location/check-definitions.ts";
export {
  type CheckIssue,
  type DefinitionChecks,
  mergeDefinitionChecks,
  type ValueCheck,
  type ValueCheckLoader,
} from "./code-location/definition-checks.ts";
export {
  absoluteOrigin,
  CodeLoadError,
  type CodeOrigin,
  describeOrigin,
  type LoadDefinitionsOptions,
  loadDefinitions,
} from "./code-location/load-definitions.ts";

// Execution plans, run config and re-execution

export { buildExecutionPlan, type ExecutionPlan, type PlanStep } from "./execution/plan.ts";
export { type PreparedRun, prepareRun, type RunTarget } from "./execution/prepare-run.ts";
export { resolveOutputSources } from "./execution/reexecution.ts";
export { type ConfigIssue, RunConfigError } from "./execution/run-config.ts";

// Executing a run (the run worker)

export { type ExecuteRunOptions, executeRun, LaunchSupersededError } from "./execution/execute-run.ts";
export {
  DEFAULT_RUN_HEARTBEAT_INTERVAL_MS,
  HeartbeatDatabaseMissingError,
} from "./execution/run-heartbeat.ts";

// Executors: how a run's steps are launched

export {
  type ExecutorContext,
  type ExecutorFactory,
  type ExecutorLoaders,
  UnknownExecutorError,
} from "./execution/executors/executor-registry.ts";
export { type LauncherStepFailure, launcherStepFailureEvent } from "./execution/launcher-step-failure.ts";
export type { StepLauncher } from "./execution/step-launcher.ts";

// Executing a step (the step worker) and the step runtime

export { executeStep, stepExitCode } from "./execution/execute-step.ts";
export { executeStepAttempt, type StepAttemptResult, type StepRuntime } from "./execution/step-attempt.ts";
export { openStepSession, type StepSession } from "./execution/step-session.ts";

// Events and compute logs a run writes

export { EventWriter } from "./events/event-writer.ts";
export { ComputeLogRecorder } from "./execution/compute-log-capture.ts";
