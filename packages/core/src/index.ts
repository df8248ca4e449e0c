/**
 * @bosun/core: the vocabulary every Bosun package shares (JSON values, runs and their statuses, events,
 * failures, tags).
 *
 * May depend on: no other Bosun package (the bottom layer; LAYERS in .dependency-cruiser.cjs).
 * Each `//` heading is followed by a blank line: Biome then sorts exports within a section, not across.
 */

// Runs: records, statuses, JSON values

export {
  IN_PROGRESS_RUN_STATUSES,
  isTerminalRunStatus,
  type JsonValue,
  type NewRun,
  RUN_STATUSES,
  type RunRecord,
  type RunStatus,
  type StepSelection,
  TERMINAL_RUN_STATUSES,
} from "./runs/run.ts";

// Run tags Bosun reads and writes

export { type LaunchedBy, launchedBy } from "./runs/launched-by.ts";
export {
  BACKFILL_TAG,
  InvalidTagsError,
  PARENT_RUN_ID_TAG,
  PARTITION_TAG,
  ROOT_RUN_ID_TAG,
  SCHEDULE_NAME_TAG,
  SENSOR_NAME_TAG,
  stringifyTags,
} from "./runs/run-tags.ts";

// Assets: where each partition stands

export { isPartitionStatus, PARTITION_STATUSES, type PartitionStatus } from "./assets/partition-status.ts";

// Events: the event log's types, and building new events

export {
  EVENT_TYPES,
  type EventDataByType,
  type EventOf,
  type EventType,
  type LogLevel,
  type Metadata,
  type MetadataValue,
  type NewEvent,
  RUN_STATUS_BY_EVENT,
  type StoredEvent,
} from "./events/event.ts";
export { newEvent } from "./events/new-event.ts";

// Failures that cross processes

export {
  formatFailure,
  type SerializableFailure,
  toSerializableFailure,
} from "./errors/serializable-failure.ts";

// How to start the `bosun` command in a child process

export type { BosunCommand } from "./process/bosun-command.ts";

// Step outputs that cross machines (implemented by @bosun/storage, used by the SDK's PostgreSQL IO manager)

export type { OutputBlobStorage } from "./storage/output-blob-storage.ts";

// Auth: roles, permissions and grants

export {
  type Grant,
  grantsAllow,
  isRole,
  PERMISSION_ROLES,
  PERMISSIONS,
  type Permission,
  ROLES,
  type Role,
  roleAllows,
} from "./auth/roles.ts";

// Text helpers for messages

export { didYouMean, nearest } from "./text/nearest.ts";

// Deployments: the one place a deployment name given by a caller is resolved

export {
  DEFAULT_DEPLOYMENT,
  DEPLOYMENT_NAME_PATTERN,
  InvalidDeploymentNameError,
  resolveDeploymentName,
} from "./deployment/deployment-name.ts";

// The agent protocol (hybrid mode): request types, states and payloads

export {
  AGENT_REQUEST_OUTCOMES,
  AGENT_REQUEST_STATUSES,
  AGENT_REQUEST_TYPES,
  type AgentRequestOutcome,
  type AgentRequestStatus,
  type AgentRequestType,
  CODE_SERVER_CALLS,
  type CodeServerCall,
  type CodeServerCallPayload,
  DEFAULT_AGENT_QUEUE,
  isAgentRequestFinished,
  type LaunchRunPayload,
  type ReconcileLocationsPayload,
  type TerminateRunPayload,
} from "./agent/agent-protocol.ts";
