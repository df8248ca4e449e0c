/** @bosun/storage: storage interfaces, their PostgreSQL implementation and migrations, and the embedded PostgreSQL. */

export {
  acquireEmbeddedPostgres,
  bosunHome,
  defaultEmbeddedPostgresDirectory,
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
  stopEmbeddedPostgres,
} from "./embedded-postgres.ts";
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
export { DATABASE_URL_ENV, migrateStorage, type OpenStorageOptions, openStorage } from "./open-storage.ts";
export {
  latestSchemaVersion,
  type MigrationResult,
  migrate,
  migrationsFingerprint,
  SchemaTooNewError,
} from "./postgres/migrate.ts";
export { PostgresStorage, type PostgresStorageOptions } from "./postgres/postgres-storage.ts";
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
} from "./storage.ts";
export { parseStorageConfig, type StorageConfig } from "./storage-config.ts";
export {
  InvalidRunCursorError,
  RunAlreadyExistsError,
  RunNotFoundError,
  StorageUnavailableError,
} from "./storage-errors.ts";
