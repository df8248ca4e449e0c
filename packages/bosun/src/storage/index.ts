export {
  acquireEmbeddedPostgres,
  bosunHome,
  defaultEmbeddedPostgresDirectory,
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
  stopEmbeddedPostgres,
} from "./embedded-postgres.ts";
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
export {
  InvalidRunCursorError,
  RunAlreadyExistsError,
  RunNotFoundError,
  StorageUnavailableError,
} from "./storage-errors.ts";
