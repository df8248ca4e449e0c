/** bosun: the SDK a code location imports (ops, jobs, graphs, assets, resources, IO managers, partitions, schedules, sensors). */

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
  isDefinitions,
  UnknownJobError,
} from "./definitions/definitions.ts";
export {
  type ExecutorDefinition,
  inProcessExecutor,
  multiprocessExecutor,
} from "./definitions/executor-definition.ts";
export {
  DEFAULT_IO_MANAGER_KEY,
  type GraphNode,
  type InputBinding,
  type JobGraph,
  type NodeComputation,
} from "./definitions/graph-model.ts";
export {
  type InputContext,
  type IoManager,
  type IoManagerReach,
  isIoManager,
  type OutputContext,
} from "./definitions/io-manager.ts";
export { type GraphDefinition, graph, type JobDefinition, type JobOptions, job } from "./definitions/job.ts";
export { type MetadataInput, md, normalizeMetadata } from "./definitions/metadata.ts";
export { type OpDefinition, type OpOptions, op } from "./definitions/op.ts";
export type { LogFields, OpContext, RunLogger, TimeWindow } from "./definitions/op-context.ts";
export {
  dailyPartitions,
  hourlyPartitions,
  type PartitionsDefinition,
  partitionKeyProblem,
  partitionKeys,
  partitionTimeWindow,
  staticPartitions,
} from "./definitions/partitions.ts";
export { type ResourceDefinition, type ResourceSetupContext, resource } from "./definitions/resource.ts";
export { type RetryPolicy, retryDelayMs } from "./definitions/retry-policy.ts";
export type { RunRequest } from "./definitions/run-request.ts";
export { type ScheduleDefinition, type ScheduleEvaluationContext, schedule } from "./definitions/schedule.ts";
export {
  type SensorDefinition,
  type SensorEvaluationContext,
  type SensorResult,
  sensor,
} from "./definitions/sensor.ts";
export { fsIoManager } from "./io/fs-io-manager.ts";
export { inMemoryIoManager } from "./io/in-memory-io-manager.ts";
export { OutputTooLargeError, postgresIoManager } from "./io/postgres-io-manager.ts";
