/**
 * The types behind the webserver's JSON API, for clients that run in a browser: the UI imports them with
 * `import type ... from "bosun/api-types"`. Types only, so importing this adds no code to a bundle.
 * Keep the modules reached from here to plain declarations that import nothing from Node, storage or
 * gRPC modules (move a type into its own file instead, as `code-origin.ts` and `location-entry.ts` are):
 * the UI's typecheck reads every one of them.
 *
 * The types describe values as Bosun holds them (`Date` fields included); the UI's `JsonOf` turns them
 * into what the webserver sends (`JSON.stringify`, dates as ISO strings).
 */

export type * from "./code-location/snapshot.ts";
export type { SerializableFailure } from "./errors/serializable-failure.ts";
export type { EventType, LogLevel, Metadata, MetadataValue, StoredEvent } from "./events/event.ts";
export type { JsonValue, RunRecord, RunStatus } from "./runs/run.ts";
export type {
  DaemonType,
  InstigatorKind,
  InstigatorStatus,
  TickRecord,
  TickStatus,
} from "./storage/instigator-storage.ts";
export type { AssetMaterializationRecord, ComputeLogChunk, RunPage } from "./storage/storage.ts";
export type { LocationEntry, LocationStatus } from "./workspace/location-entry.ts";
