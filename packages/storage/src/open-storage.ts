import {
  acquireEmbeddedPostgres,
  defaultEmbeddedPostgresDirectory,
  type EmbeddedPostgresOptions,
} from "./embedded-postgres.ts";
import { type MigrationResult, migrate } from "./postgres/migrate.ts";
import { PostgresStorage } from "./postgres/postgres-storage.ts";
import type { StorageConfig } from "./storage-config.ts";

/** Set by a Bosun process for the processes it starts; wins over `bosun.yaml`. */
export const DATABASE_URL_ENV = "BOSUN_DATABASE_URL";

/** Options of `openStorage`. */
export interface OpenStorageOptions {
  /** Bring the schema up to date on open. Default true. */
  readonly migrate?: boolean;
  /** Environment to read `BOSUN_DATABASE_URL`, `BOSUN_HOME` and the password variable from. */
  readonly env?: NodeJS.ProcessEnv;
  /** For the embedded server (no `storage` section). */
  readonly embedded?: EmbeddedPostgresOptions;
  /** Connections in the query pool. Default 10. */
  readonly poolSize?: number;
  /** Shown in pg_stat_activity, e.g. "bosun-daemon". */
  readonly applicationName?: string;
}

/**
 * Opens the instance's storage: the database in `BOSUN_DATABASE_URL` when the parent process set it,
 * else the one `bosun.yaml` names, else the embedded PostgreSQL under `$BOSUN_HOME` (started if needed,
 * released on `close()`). Fails with `StorageUnavailableError` (naming host, port and database, never
 * the password) when the database cannot be reached or refuses us.
 *
 * @example
 * const storage = await openStorage(parseStorageConfig(instanceYaml.storage));
 * const child = spawn("bosun", ["api", "execute-run", runId], { env: { ...process.env, ...storage.childProcessEnv() } });
 */
export async function openStorage(
  config: StorageConfig = { kind: "embedded" },
  options: OpenStorageOptions = {},
): Promise<PostgresStorage> {
  const env = options.env ?? process.env;
  const common = {
    migrate: options.migrate ?? true,
    ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}),
    ...(options.applicationName !== undefined ? { applicationName: options.applicationName } : {}),
  };
  const inherited = env[DATABASE_URL_ENV];
  // The parent process opened (and migrated) this database already: children skip the migration check.
  if (inherited)
    return PostgresStorage.open({
      ...common,
      migrate: options.migrate ?? false,
      connectionString: inherited,
    });
  switch (config.kind) {
    case "url":
      return PostgresStorage.open({ ...common, connectionString: config.url });
    case "fields": {
      const password = env[config.passwordEnv];
      return PostgresStorage.open({
        ...common,
        connectionString: fieldsUrl(config, password),
        passwordHint: password
          ? `password read from $${config.passwordEnv}`
          : `no password given: $${config.passwordEnv} is not set`,
      });
    }
    case "embedded": {
      const server = await acquireEmbeddedPostgres({
        ...options.embedded,
        directory: options.embedded?.directory ?? defaultEmbeddedPostgresDirectory(env),
      });
      try {
        return await PostgresStorage.open({
          ...common,
          connectionString: server.url,
          onClose: () => server.release(),
        });
      } catch (error) {
        await server.release();
        throw error;
      }
    }
  }
}

/** `bosun instance migrate`: brings the instance's database to the latest schema and says what it did. */
export async function migrateStorage(
  config: StorageConfig = { kind: "embedded" },
  options: Omit<OpenStorageOptions, "migrate"> = {},
): Promise<MigrationResult & { readonly target: string }> {
  const storage = await openStorage(config, { ...options, migrate: false });
  try {
    return { ...(await migrate(storage.pgPool)), target: storage.describe() };
  } finally {
    await storage.close();
  }
}

function fieldsUrl(config: Extract<StorageConfig, { kind: "fields" }>, password: string | undefined): string {
  const url = new URL("postgres://placeholder");
  url.hostname = config.host;
  url.port = String(config.port);
  url.username = config.username;
  if (password) url.password = password;
  url.pathname = `/${config.database}`;
  for (const [key, value] of Object.entries(config.params)) url.searchParams.set(key, value);
  return url.toString();
}
