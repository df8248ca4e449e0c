/**
 * @bosun/code-server: the gRPC code server, its client, and workspaces of code locations.
 *
 * May depend on: @bosun/core, bosun (the SDK), @bosun/storage, @bosun/instance, @bosun/engine (LAYERS in
 * .dependency-cruiser.cjs).
 * Each `//` heading is followed by a blank line: Biome then sorts exports within a section, not across.
 */

// What a code location answers, whoever serves it

export {
  type CodeLocationClient,
  CodeLocationUnavailableError,
  type ExecutionPlanRequest,
  type ExecutionPlanResult,
  type InstigatorEvaluation,
  type PlanStepSummary,
} from "./code-location/code-location-client.ts";

// Snapshots: a code location's definitions as JSON

export type {
  AssetSnapshot,
  DefinitionsSnapshot,
  JobSnapshot,
  LoadErrorSnapshot,
  NodeSnapshot,
  PartitionsSnapshot,
  ResourceSnapshot,
  ScheduleSnapshot,
  SensorSnapshot,
} from "./code-location/snapshot.ts";
export { snapshotPartitionKeys } from "./code-location/snapshot-partition-keys.ts";
export { summarizeDefinitions } from "./code-location/snapshot-summary.ts";
export { buildDefinitionsSnapshot, type SnapshotOptions } from "./code-server/definitions-snapshot.ts";

// The code server and a location loaded in this process

export {
  type CodeServerOptions,
  type RunningCodeServer,
  startCodeServer,
} from "./code-server/code-server.ts";
export { ContainerContextError, resolveContainerContext } from "./code-server/container-context.ts";
export { InvalidEvaluationResultError, UnknownInstigatorError } from "./code-server/instigator-evaluation.ts";
export { LoadedCodeLocation, loadCodeLocation } from "./code-server/loaded-code-location.ts";

// The gRPC client

export {
  type CodeServerCallTimeouts,
  createGrpcCodeLocationClient,
  DEFAULT_CALL_TIMEOUTS,
  type GrpcCodeLocationClientOptions,
} from "./code-server/grpc-code-location-client.ts";

// Workspaces: workspace.yaml and the code locations it lists

export { emptyWorkspace } from "./workspace/empty-workspace.ts";
export type { LocationEntry, LocationStatus } from "./workspace/location-entry.ts";
export type { Workspace } from "./workspace/workspace.ts";
export {
  loadWorkspaceConfig,
  locationNameFromFile,
  locationNameFromModule,
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

// Locations files (bosun-locations.yaml): a deployment's code locations in hybrid mode

export {
  type ContainerContextChecks,
  type DeployedLocation,
  type LocationCodeSource,
  LocationsFileError,
  type LocationsFileIssue,
  parseLocations,
  parseLocationsYaml,
} from "./locations-file/locations-file.ts";
