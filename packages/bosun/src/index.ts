/**
 * Bosun's public surface: the SDK for code locations, and the engine, storage and run APIs that the
 * servers and the Kubernetes package build on.
 */

// SDK
export { op, type OpDefinition, type OpOptions } from "./definitions/op.ts";
export { job, graph, type JobDefinition, type JobOptions, type GraphDefinition } from "./definitions/job.ts";
export { asset, assetKeyOf, assetStepKey, type AssetDefinition, type AssetOptions } from "./definitions/asset.ts";
export { assetJob, AD_HOC_ASSET_JOB, type AssetJobSpec } from "./definitions/asset-job.ts";
export { selectAssets, type AssetGraph } from "./definitions/asset-graph.ts";
export { resource, type ResourceDefinition, type ResourceSetupContext } from "./definitions/resource.ts";
export { schedule, type ScheduleDefinition, type ScheduleEvaluationContext } from "./definitions/schedule.ts";
export { sensor, type SensorDefinition, type SensorEvaluationContext, type SensorResult } from "./definitions/sensor.ts";
export type { RunRequest } from "./definitions/run-request.ts";
export { defineDefinitions, type Definitions, type DefinitionsInput, UnknownJobError } from "./definitions/definitions.ts";
export { DefinitionError, type DefinitionErrorCode } from "./definitions/definition-error.ts";
export {
  dailyPartitions,
  hourlyPartitions,
  staticPartitions,
  partitionKeys,
  type PartitionsDefinition,
} from "./definitions/partitions.ts";
export { inProcessExecutor, multiprocessExecutor, type ExecutorDefinition } from "./definitions/executor-definition.ts";
export { Failure, RetryRequested } from "./definitions/control-flow.ts";
export { md, type MetadataInput } from "./definitions/metadata.ts";
export type { OpContext, RunLogger, TimeWindow } from "./definitions/op-context.ts";
export type { RetryPolicy } from "./definitions/retry-policy.ts";
export type { IoManager, IoManagerReach, InputContext, OutputContext } from "./definitions/io-manager.ts";
export type { JobGraph, GraphNode, InputBinding, NodeComputation } from "./definitions/graph-model.ts";
export { fsIoManager } from "./io/fs-io-manager.ts";
export { inMemoryIoManager } from "./io/in-memory-io-manager.ts";
export { postgresIoManager, OutputTooLargeError } from "./io/postgres-io-manager.ts";

// Runs and events
export * from "./runs/run.ts";
export { createRun, createReexecution, type LaunchRequest } from "./runs/create-run.ts";
export * from "./events/event.ts";
export { EventWriter, newEvent } from "./events/event-writer.ts";
export * from "./errors/serializable-failure.ts";

// Engine
export { executeRun, type ExecuteRunOptions } from "./execution/execute-run.ts";
export { executeStepAttempt, type StepAttemptResult, type StepRuntime } from "./execution/step-attempt.ts";
export { openStepSession, type StepSession } from "./execution/step-session.ts";
export { prepareRun, type PreparedRun, type RunTarget } from "./execution/prepare-run.ts";
export { buildExecutionPlan, type ExecutionPlan, type PlanStep } from "./execution/plan.ts";
export { RunConfigError } from "./execution/run-config.ts";
export { resolveOutputSources, type ReexecutionMode } from "./execution/reexecution.ts";
export { registerExecutor, type ExecutorFactory, type ExecutorContext } from "./execution/executors/executor-registry.ts";
export type { StepLauncher } from "./execution/step-launcher.ts";
export { loadDefinitions, CodeLoadError, type CodeOrigin } from "./code-location/load-definitions.ts";

// Storage and instance
export type * from "./storage/storage.ts";
export * from "./storage/storage-errors.ts";
export { openInstance, type Instance } from "./instance/instance.ts";
