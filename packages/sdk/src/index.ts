/**
 * bosun: the SDK a code location imports (ops, jobs, graphs, assets, resources, IO managers, partitions,
 * schedules, sensors).
 *
 * May depend on: @bosun/core (LAYERS in .dependency-cruiser.cjs).
 * Each `//` heading is followed by a blank line: Biome then sorts exports within a section, not across.
 */

// Definitions: ops, jobs, graphs

export { type GraphDefinition, graph, type JobDefinition, type JobOptions, job } from "./definitions/job.ts";
export { type InputDefinition, input, type OpDefinition, type OpOptions, op } from "./definitions/op.ts";

// What an op's or asset's `run` receives

export type { LogFields, OpContext, RunLogger, TimeWindow } from "./definitions/op-context.ts";

// Metadata on outputs and materializations

export { type MetadataInput, md, normalizeMetadata } from "./definitions/metadata.ts";

// Assets, asset selections and asset jobs

export {
  type AssetDefinition,
  type AssetOptions,
  asset,
  assetKeyOf,
  assetStepKey,
} from "./definitions/asset.ts";
export { type AssetGraph, selectAssets } from "./definitions/asset-graph.ts";
export { AD_HOC_ASSET_JOB, type AssetJobSpec, assetJob } from "./definitions/asset-job.ts";

// Resources

export { type ResourceDefinition, type ResourceSetupContext, resource } from "./definitions/resource.ts";

// Config: parsed with each op's, asset's or resource's zod schema, in a run and in a test alike

export { type ConfigIssue, parseConfig } from "./definitions/config-parsing.ts";

// IO managers

export {
  type InputContext,
  type IoManager,
  type IoManagerReach,
  isIoManager,
  type OutputContext,
} from "./definitions/io-manager.ts";
export { fsIoManager } from "./io/fs-io-manager.ts";
export { inMemoryIoManager } from "./io/in-memory-io-manager.ts";
export { OutputTooLargeError, postgresIoManager } from "./io/postgres-io-manager.ts";

// Partitions

export {
  dailyPartitions,
  hourlyPartitions,
  type PartitionsDefinition,
  partitionKeyProblem,
  partitionKeys,
  partitionTimeWindow,
  staticPartitions,
} from "./definitions/partitions.ts";

// Schedules and sensors

export type { RunRequest } from "./definitions/run-request.ts";
export { type ScheduleDefinition, type ScheduleEvaluationContext, schedule } from "./definitions/schedule.ts";
export {
  type SensorDefinition,
  type SensorEvaluationContext,
  type SensorResult,
  sensor,
} from "./definitions/sensor.ts";

// Executors and retries

export {
  type ExecutorDefinition,
  inProcessExecutor,
  multiprocessExecutor,
  queueExecutor,
} from "./definitions/executor-definition.ts";
export { type RetryPolicy, retryDelayMs } from "./definitions/retry-policy.ts";

// Control flow thrown by user code

export { Failure, RetryRequested } from "./definitions/control-flow.ts";

// The code location: defineDefinitions and its errors

export { DefinitionError, type DefinitionErrorCode } from "./definitions/definition-error.ts";
export {
  type Definitions,
  type DefinitionsInput,
  defineDefinitions,
  isDefinitions,
  UnknownJobError,
} from "./definitions/definitions.ts";

// The graph model the engine plans from

export {
  DEFAULT_IO_MANAGER_KEY,
  type GraphNode,
  type InputBinding,
  type JobGraph,
  type NodeComputation,
} from "./definitions/graph-model.ts";
