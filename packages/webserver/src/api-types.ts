/**
 * The types behind the webserver's JSON API, for clients that run in a browser: the UI imports them with
 * `import type ... from "@bosun/webserver/api-types"`. Types only, so importing this adds no code to a
 * bundle. Keep the modules reached from here to plain declarations that import nothing from Node, storage or
 * gRPC modules (move a type into its own file instead, as `code-origin.ts` and `location-entry.ts` are): the
 * UI's typecheck reads every one of them.
 *
 * The types describe values as Bosun holds them (`Date` fields included); the UI's `JsonOf` turns them
 * into what the webserver sends (`JSON.stringify`, dates as ISO strings).
 */

export type * from "@bosun/code-server";
export type { LocationEntry, LocationStatus } from "@bosun/code-server";
export type {
  EventType,
  JsonValue,
  LogLevel,
  Metadata,
  MetadataValue,
  PartitionStatus,
  RunRecord,
  RunStatus,
  SerializableFailure,
  StoredEvent,
} from "@bosun/core";
export type {
  PartitionCounts,
  PartitionStatusPage,
  PartitionStatusSummary,
  PartitionStatusView,
  StatusBarSegment,
} from "@bosun/daemon";
export type {
  AssetMaterializationRecord,
  ComputeLogChunk,
  DaemonType,
  DeploymentRecord,
  InstigatorKind,
  InstigatorStatus,
  PartitionStatusRecord,
  RunPage,
  TickRecord,
  TickStatus,
} from "@bosun/storage";
export type { ChangedDefinition, DefinitionChanges } from "./deployments/definition-changes.ts";
export type { LaunchBody } from "./runs/launch-body.ts";
