/** @bosun/engine: execution plans, executors and the step runtime; loading a code location's definitions. */

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
export { EventWriter } from "./events/event-writer.ts";
export { ComputeLogRecorder } from "./execution/compute-log-capture.ts";
export { type ExecuteRunOptions, executeRun } from "./execution/execute-run.ts";
export { executeStep, stepExitCode } from "./execution/execute-step.ts";
export {
  type ExecutorContext,
  type ExecutorFactory,
  type ExecutorLoaders,
  UnknownExecutorError,
} from "./execution/executors/executor-registry.ts";
export { buildExecutionPlan, type ExecutionPlan, type PlanStep } from "./execution/plan.ts";
export { type PreparedRun, prepareRun, type RunTarget } from "./execution/prepare-run.ts";
export { type ReexecutionMode, resolveOutputSources, stepsToReexecute } from "./execution/reexecution.ts";
export { type ConfigIssue, RunConfigError } from "./execution/run-config.ts";
export { DEFAULT_RUN_HEARTBEAT_INTERVAL_MS } from "./execution/run-heartbeat.ts";
export { executeStepAttempt, type StepAttemptResult, type StepRuntime } from "./execution/step-attempt.ts";
export type { StepLauncher } from "./execution/step-launcher.ts";
export { openStepSession, type StepSession } from "./execution/step-session.ts";
