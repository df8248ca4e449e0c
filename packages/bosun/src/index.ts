/**
 * Bosun's public surface: the SDK for code locations, and the engine, storage and run APIs that the
 * servers and the Kubernetes package build on.
 */

// Code locations and workspaces, as the servers see them (added for the webserver)
export {
  type CodeLocationClient,
  CodeLocationUnavailableError,
  type ExecutionPlanRequest,
  type ExecutionPlanResult,
  type InstigatorEvaluation,
} from "./code-location/code-location-client.ts";
export { CodeLoadError, type CodeOrigin, loadDefinitions } from "./code-location/load-definitions.ts";
export type * from "./code-location/snapshot.ts";
// Code servers (`bosun api grpc`), their gRPC client and workspace.yaml
export {
  type CodeServerOptions,
  type RunningCodeServer,
  startCodeServer,
} from "./code-server/code-server.ts";
export { buildDefinitionsSnapshot, type SnapshotOptions } from "./code-server/definitions-snapshot.ts";
export {
  type CodeServerCallTimeouts,
  createGrpcCodeLocationClient,
  DEFAULT_CALL_TIMEOUTS,
  type GrpcCodeLocationClientOptions,
} from "./code-server/grpc-code-location-client.ts";
export { InvalidEvaluationResultError, UnknownInstigatorError } from "./code-server/instigator-evaluation.ts";
export { LoadedCodeLocation, loadCodeLocation } from "./code-server/loaded-code-location.ts";
export { type Clock, systemClock } from "./daemon/clock.ts";
export type { DaemonLogger, DaemonLogLevel } from "./daemon/daemon-resources.ts";
export { ManualClock } from "./daemon/manual-clock.ts";
export { admitRuns, type QueueLimits, queueBlockReason } from "./daemon/queue-admission.ts";
export {
  InvalidRunRequestError,
  RUN_KEY_TAG,
  SCHEDULE_NAME_TAG,
  SENSOR_NAME_TAG,
  TICK_ID_TAG,
} from "./daemon/request-run.ts";
export {
  DAEMON_TYPES,
  type DaemonHandle,
  type StartDaemonOptions,
  startDaemon,
} from "./daemon/start-daemon.ts";
export { RunNotTerminableError, type TerminateResult, terminateRun } from "./daemon/terminate-run.ts";
export {
  type AssetDefinition,
  type AssetOptions,
  asset,
  assetKeyOf,
  assetStepKey,
} from "./definitions/asset.ts";
export { type AssetGraph, selectAssets } from "./definitions/asset-graph.ts";
export { AD_HOC_ASSET_JOB, type AssetJobSpec, assetJob } from "./definitions/asset-job.ts";
export { Failure, RetryRequested } from "./definitions/control-flow.ts";
export { DefinitionError, type DefinitionErrorCode } from "./definitions/definition-error.ts";
export {
  type Definitions,
  type DefinitionsInput,
  defineDefinitions,
  UnknownJobError,
} from "./definitions/definitions.ts";
export {
  type ExecutorDefinition,
  inProcessExecutor,
  multiprocessExecutor,
} from "./definitions/executor-definition.ts";
export type { GraphNode, InputBinding, JobGraph, NodeComputation } from "./definitions/graph-model.ts";
export type { InputContext, IoManager, IoManagerReach, OutputContext } from "./definitions/io-manager.ts";
export { type GraphDefinition, graph, type JobDefinition, type JobOptions, job } from "./definitions/job.ts";
export { type MetadataInput, md } from "./definitions/metadata.ts";
export { didYouMean, nearest } from "./definitions/nearest.ts";
// SDK
export { type OpDefinition, type OpOptions, op } from "./definitions/op.ts";
export type { OpContext, RunLogger, TimeWindow } from "./definitions/op-context.ts";
export {
  dailyPartitions,
  hourlyPartitions,
  type PartitionsDefinition,
  partitionKeys,
  staticPartitions,
} from "./definitions/partitions.ts";
export { type ResourceDefinition, type ResourceSetupContext, resource } from "./definitions/resource.ts";
export type { RetryPolicy } from "./definitions/retry-policy.ts";
export type { RunRequest } from "./definitions/run-request.ts";
export { type ScheduleDefinition, type ScheduleEvaluationContext, schedule } from "./definitions/schedule.ts";
export {
  type SensorDefinition,
  type SensorEvaluationContext,
  type SensorResult,
  sensor,
} from "./definitions/sensor.ts";
export * from "./errors/serializable-failure.ts";
export * from "./events/event.ts";
export { EventWriter, newEvent } from "./events/event-writer.ts";
export { ComputeLogRecorder } from "./execution/compute-log-capture.ts";
// Engine
export { type ExecuteRunOptions, executeRun } from "./execution/execute-run.ts";
export { executeStep, stepExitCode } from "./execution/execute-step.ts";
export {
  type ExecutorContext,
  type ExecutorFactory,
  registerExecutor,
} from "./execution/executors/executor-registry.ts";
export { buildExecutionPlan, type ExecutionPlan, type PlanStep } from "./execution/plan.ts";
export { type PreparedRun, prepareRun, type RunTarget } from "./execution/prepare-run.ts";
export { type ReexecutionMode, resolveOutputSources } from "./execution/reexecution.ts";
export type { ConfigIssue } from "./execution/run-config.ts";
export { RunConfigError } from "./execution/run-config.ts";
export { DEFAULT_RUN_HEARTBEAT_INTERVAL_MS } from "./execution/run-heartbeat.ts";
export { executeStepAttempt, type StepAttemptResult, type StepRuntime } from "./execution/step-attempt.ts";
export type { StepLauncher } from "./execution/step-launcher.ts";
export { openStepSession, type StepSession } from "./execution/step-session.ts";
export {
  type ComputeLogSettings,
  ComputeLogsConfigError,
  computeLogsSchema,
  DEFAULT_COMPUTE_LOG_SETTINGS,
  parseComputeLogSettings,
} from "./instance/compute-logs-config.ts";
export {
  DaemonConfigError,
  type DaemonSettings,
  parseDaemonSettings,
  runCoordinatorSchema,
  runLauncherSchema,
  runMonitoringSchema,
  schedulerSchema,
  sensorsSchema,
  type TagConcurrencyLimit,
} from "./instance/daemon-config.ts";
export { type Instance, openInstance, readInstanceConfig } from "./instance/instance.ts";
export { type RetentionSettings, retentionSchema, type TickRetention } from "./instance/retention-config.ts";
export { parseStorageConfig } from "./instance/storage-config.ts";
export { fsIoManager } from "./io/fs-io-manager.ts";
export { inMemoryIoManager } from "./io/in-memory-io-manager.ts";
export { OutputTooLargeError, postgresIoManager } from "./io/postgres-io-manager.ts";
export {
  createRunLauncher,
  type RunLauncherFactory,
  registerRunLauncherFactory,
  UnknownRunLauncherError,
} from "./launcher/create-run-launcher.ts";
export { DefaultRunLauncher, type DefaultRunLauncherOptions } from "./launcher/default-run-launcher.ts";
// Run launchers and the daemon (added for @bosun/k8s: it registers the `k8s` launcher kind and tests drive a daemon)
export type { RunHealth, RunLauncher } from "./launcher/run-launcher.ts";
export { createReexecution, createRun, type LaunchRequest } from "./runs/create-run.ts";
// Runs and events
export * from "./runs/run.ts";
export {
  InvalidTagsError,
  PARENT_RUN_ID_TAG,
  PARTITION_TAG,
  ROOT_RUN_ID_TAG,
  stringifyTags,
} from "./runs/run-tags.ts";
export type * from "./storage/instigator-storage.ts";
export { toStorageUnavailableError } from "./storage/postgres/connection-errors.ts";
// Storage and instance
export {
  DEFAULT_PURGE_BATCH_SIZE,
  type PurgeOptions,
  type PurgeResult,
  type RetentionStorage,
} from "./storage/retention-storage.ts";
export {
  type AdmissionPolicy,
  type CreateRunOnceResult,
  IN_PROGRESS_STATUSES,
  MAX_RETRIES_TAG,
  PRIORITY_TAG,
  type QueuedRunView,
  type QueueSnapshot,
  RETRY_NUMBER_TAG,
  type RunQueueStorage,
  retryIdempotencyKey,
} from "./storage/run-queue-storage.ts";
export type * from "./storage/storage.ts";
export * from "./storage/storage-errors.ts";
export type * from "./workspace/workspace.ts";
export {
  loadWorkspaceConfig,
  parseWorkspaceConfig,
  type WorkspaceConfig,
  WorkspaceConfigError,
  type WorkspaceConfigIssue,
  type WorkspaceLocationConfig,
} from "./workspace/workspace-config.ts";
export {
  singleFileWorkspace,
  startWorkspace,
  UnknownLocationError,
  WorkspaceManager,
  type WorkspaceManagerOptions,
} from "./workspace/workspace-manager.ts";
