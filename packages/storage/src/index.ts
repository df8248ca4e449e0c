/**
 * @bosun/storage: storage interfaces, their PostgreSQL implementation and migrations, and the embedded
 * PostgreSQL.
 *
 * May depend on: @bosun/core (LAYERS in .dependency-cruiser.cjs).
 * Each `//` heading is followed by a blank line: Biome then sorts exports within a section, not across.
 */

// Storage interfaces: runs, event log, compute logs, outputs

export type {
  AssetMaterializationRecord,
  BosunStorage,
  ComputeLogChunk,
  ComputeLogStorage,
  EventLogStorage,
  EventQuery,
  LogStream,
  OutputBlobStorage,
  RunFilter,
  RunPage,
  RunStorage,
  Subscription,
  WriteOptions,
} from "./storage.ts";

// Storage interfaces: partition status per asset

export type {
  AssetStatusStorage,
  PartitionStatusQuery,
  PartitionStatusRecord,
} from "./asset-status-storage.ts";

// Storage interfaces: schedules and sensors, their ticks, daemon and worker heartbeats

export type {
  DaemonHeartbeat,
  DaemonHeartbeatStorage,
  DaemonType,
  FinishedTickStatus,
  InstigatorKind,
  InstigatorState,
  InstigatorStatus,
  InstigatorStorage,
  NewTick,
  RunWorkerHeartbeatStorage,
  TickRecord,
  TickStatus,
  TickUpdate,
} from "./instigator-storage.ts";

// Storage interfaces: the run queue, launches and retention

export {
  FIRST_LAUNCH_ATTEMPT,
  type LaunchAttempt,
  type LaunchLease,
  type LaunchStorage,
  WORKER_LAUNCH_ATTEMPT_KEY,
} from "./launch-storage.ts";
export {
  DEFAULT_PURGE_BATCH_SIZE,
  type PurgeOptions,
  type PurgeResult,
  type RetentionStorage,
} from "./retention-storage.ts";
export {
  type AdmissionPolicy,
  type CreateRunOnceResult,
  MAX_RETRIES_TAG,
  PRIORITY_TAG,
  type QueuedRunView,
  type QueueSnapshot,
  RETRY_NUMBER_TAG,
  type RunQueueStorage,
  retryIdempotencyKey,
} from "./run-queue-storage.ts";

// Storage interfaces: deployments (the registry, and a name resolved to its storage)

export {
  type BranchDeploymentInput,
  DEPLOYMENT_KINDS,
  DEPLOYMENT_NAME_PATTERN,
  DEPLOYMENT_STATUSES,
  type DeploymentDataStorage,
  type DeploymentKind,
  DeploymentNotFoundError,
  type DeploymentRecord,
  type DeploymentStatus,
  type DeploymentStorage,
  type DeploymentStorages,
  PROD_DEPLOYMENT,
} from "./deployment-storage.ts";

// Storage interfaces: API tokens and the audit log

export { isSessionIdShaped } from "./auth/session-id.ts";
export {
  hashTokenSecret,
  isTokenSecretShaped,
  TOKEN_KINDS,
  TOKEN_NAME_PATTERN,
  type TokenKind,
} from "./auth/token-secret.ts";
export type {
  ApiTokenRecord,
  AuditEntry,
  AuditQuery,
  AuthStorage,
  NewApiToken,
  NewAuditEntry,
} from "./auth-storage.ts";
export type { NewSession, SessionRecord, SessionStorage } from "./session-storage.ts";

// Hybrid mode: agents, their leased requests, and each deployment's desired locations

export type {
  AgentRecord,
  AgentRegistration,
  AgentRequestCompletion,
  AgentRequestRecord,
  AgentRequestUpdate,
  AgentStorage,
  ClaimAgentRequests,
  NewAgentRequest,
} from "./agent-storage.ts";
export type {
  DesiredLocationsStorage,
  DesiredLocationsVersion,
  SetDesiredLocations,
} from "./desired-locations-storage.ts";

// Errors every implementation throws

export { toStorageUnavailableError } from "./postgres/connection-errors.ts";
export {
  InvalidRunCursorError,
  RunAlreadyExistsError,
  RunNotFoundError,
  StorageUnavailableError,
  TokenNameTakenError,
} from "./storage-errors.ts";

// Run ids given by a person: the whole id or a unique prefix

export {
  AmbiguousRunIdError,
  MIN_RUN_ID_PREFIX_LENGTH,
  NoRunMatchesError,
  RunIdPrefixTooShortError,
  resolveRunId,
} from "./run-id-prefix.ts";

// Riding out a database outage: retries with back-off, ordered buffers spilling to disk, idempotent batches

export {
  BufferedStorageWriter,
  type BufferedStorageWriterOptions,
} from "./outage/buffered-storage-writer.ts";
export { backoffDelayMs, DEFAULT_OUTAGE_TOLERANCE_MS, type OutagePolicy } from "./outage/outage-policy.ts";
export { rideOutOutages } from "./outage/outage-tolerant-storage.ts";
export { retryThroughOutage } from "./outage/retry-through-outage.ts";
export {
  DEFAULT_BUFFER_MEMORY_BYTES,
  SpillingQueue,
  type SpillingQueueOptions,
} from "./outage/spilling-queue.ts";
export { isStorageOutage, StorageOutageError } from "./outage/storage-outage.ts";

// Run workers in hybrid mode: reporting through the control plane's HTTP API with a run token

export {
  CONTROL_PLANE_URL_ENV,
  type ComputeLogChunkToSend,
  ControlPlaneRefusedError,
  ControlPlaneRunReporter,
  ControlPlaneUnavailableError,
  RUN_TOKEN_ENV,
} from "./http/control-plane-run-reporter.ts";

// Opening storage from bosun.yaml's `storage` section or the environment

export { DATABASE_URL_ENV, migrateStorage, type OpenStorageOptions, openStorage } from "./open-storage.ts";
export { parseOutageToleranceMs, parseStorageConfig, type StorageConfig } from "./storage-config.ts";

// PostgreSQL implementation and migrations

export {
  latestSchemaVersion,
  type MigrationResult,
  type MigrationTarget,
  migrate,
  migrationsFingerprint,
  SchemaTooNewError,
} from "./postgres/migrate.ts";
export { PostgresStorage, type PostgresStorageOptions } from "./postgres/postgres-storage.ts";
export {
  openRunHeartbeatConnection,
  type RunHeartbeatConnection,
  type RunHeartbeatConnectionOptions,
} from "./postgres/run-heartbeat-connection.ts";

// Embedded PostgreSQL (when bosun.yaml has no `storage` section) and the Bosun home it lives in

export {
  acquireEmbeddedPostgres,
  bosunHome,
  defaultEmbeddedPostgresDirectory,
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
  stopEmbeddedPostgres,
} from "./embedded-postgres.ts";
