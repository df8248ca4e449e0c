import type { Kysely } from "kysely";
import pg from "pg";
import type { BosunStorage } from "../storage.ts";
import { authDb } from "./auth-tables.ts";
import {
  clientConfig,
  createKysely,
  createPool,
  describeConnectionString,
  type PostgresConnectionOptions,
} from "./connection.ts";
import { toStorageUnavailableError } from "./connection-errors.ts";
import { daemonDb } from "./daemon-tables.ts";
import type { Database } from "./database.ts";
import { migrate } from "./migrate.ts";
import { NotificationListener } from "./notification-listener.ts";
import { PostgresAssetStatusStorage } from "./postgres-asset-status-storage.ts";
import { API_TOKENS_CHANNEL, PostgresAuthStorage } from "./postgres-auth-storage.ts";
import { COMPUTE_LOGS_CHANNEL, PostgresComputeLogStorage } from "./postgres-compute-log-storage.ts";
import { PostgresEventLogStorage, RUN_EVENTS_CHANNEL } from "./postgres-event-log-storage.ts";
import { PostgresHeartbeatStorage } from "./postgres-heartbeat-storage.ts";
import { PostgresInstigatorStorage } from "./postgres-instigator-storage.ts";
import { PostgresLaunchStorage } from "./postgres-launch-storage.ts";
import { PostgresOutputBlobStorage } from "./postgres-output-blob-storage.ts";
import { PostgresRetentionStorage } from "./postgres-retention-storage.ts";
import { PostgresRunQueueStorage, RUN_QUEUE_CHANNEL } from "./postgres-run-queue-storage.ts";
import { PostgresRunStorage } from "./postgres-run-storage.ts";
import { PostgresSessionStorage } from "./postgres-session-storage.ts";
import { sessionDb } from "./session-tables.ts";

/** How `PostgresStorage` connects and what it does on open and close. */
export interface PostgresStorageOptions extends PostgresConnectionOptions {
  /** Bring the schema up to date on open. Default true. */
  readonly migrate?: boolean;
  /** Said after "cannot reach PostgreSQL at ...: authentication failed", e.g. which env var held the password. */
  readonly passwordHint?: string;
  /** Runs after the connections are closed (e.g. releasing an embedded server). */
  readonly onClose?: () => Promise<void>;
}

/**
 * All Bosun storage in one PostgreSQL database: a query pool plus one listener connection shared by
 * every watch.
 *
 * @example
 * const storage = await PostgresStorage.open({ connectionString: "postgres://bosun@db:5432/bosun" });
 * const run = await storage.runs.getRun(runId);
 * await storage.close();
 */
export class PostgresStorage implements BosunStorage {
  readonly runs: PostgresRunStorage;
  readonly events: PostgresEventLogStorage;
  readonly assetStatus: PostgresAssetStatusStorage;
  readonly computeLogs: PostgresComputeLogStorage;
  readonly outputs: PostgresOutputBlobStorage;
  readonly runQueue: PostgresRunQueueStorage;
  readonly launches: PostgresLaunchStorage;
  readonly instigators: PostgresInstigatorStorage;
  readonly heartbeats: PostgresHeartbeatStorage;
  readonly retention: PostgresRetentionStorage;
  readonly auth: PostgresAuthStorage;
  readonly sessions: PostgresSessionStorage;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly options: PostgresStorageOptions,
    private readonly pool: pg.Pool,
    private readonly db: Kysely<Database>,
    private readonly listener: NotificationListener,
  ) {
    this.runs = new PostgresRunStorage(db);
    this.events = new PostgresEventLogStorage(db, listener);
    this.assetStatus = new PostgresAssetStatusStorage(db);
    this.computeLogs = new PostgresComputeLogStorage(db, listener);
    this.outputs = new PostgresOutputBlobStorage(db);
    this.runQueue = new PostgresRunQueueStorage(daemonDb(db), this.runs, listener);
    this.launches = new PostgresLaunchStorage(options, daemonDb(db), this.runs);
    this.instigators = new PostgresInstigatorStorage(daemonDb(db));
    this.heartbeats = new PostgresHeartbeatStorage(daemonDb(db));
    this.retention = new PostgresRetentionStorage(daemonDb(db));
    this.auth = new PostgresAuthStorage(authDb(db), listener);
    this.sessions = new PostgresSessionStorage(sessionDb(db));
  }

  /** Connects (failing with `StorageUnavailableError` when it cannot) and migrates unless told not to. */
  static async open(options: PostgresStorageOptions): Promise<PostgresStorage> {
    const target = describeConnectionString(options.connectionString);
    try {
      await probe(options);
    } catch (error) {
      const password = passwordOf(options.connectionString);
      throw (
        toStorageUnavailableError(error, target, {
          ...(password ? { password } : {}),
          ...(options.passwordHint ? { passwordHint: options.passwordHint } : {}),
        }) ?? error
      );
    }
    const pool = createPool(options);
    try {
      if (options.migrate !== false) await migrate(pool);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    const listener = new NotificationListener(options, [
      RUN_EVENTS_CHANNEL,
      COMPUTE_LOGS_CHANNEL,
      RUN_QUEUE_CHANNEL,
      API_TOKENS_CHANNEL,
    ]);
    return new PostgresStorage(options, pool, createKysely(pool), listener);
  }

  /** host:port/database — no user, no password. */
  describe(): string {
    return describeConnectionString(this.options.connectionString);
  }

  /**
   * Environment for processes this one starts (run and step workers), so that they use the same
   * database instead of resolving (or starting) one themselves.
   */
  childProcessEnv(): Record<string, string> {
    return { BOSUN_DATABASE_URL: this.options.connectionString };
  }

  /** Stops every watch and closes every connection. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([this.events.closeSubscriptions(), this.computeLogs.closeSubscriptions()]);
      await this.listener.close();
      await this.db.destroy();
      // Kysely ends the pool only if it ever ran a query through it.
      if (!this.pool.ended) await this.pool.end();
      await this.options.onClose?.();
    })();
    return this.closing;
  }

  /** The Kysely instance, for storage-internal tooling (benchmarks, EXPLAIN tests). */
  get kysely(): Kysely<Database> {
    return this.db;
  }

  /** For storage-internal tooling only. */
  get pgPool(): pg.Pool {
    return this.pool;
  }
}

/**
 * One connection attempt, closed whatever happens. A client that fails half-way through authentication
 * (e.g. the server asks for a password and none was given) leaves its socket open, and the server
 * process on the other end then blocks DROP DATABASE and the like until authentication_timeout.
 */
async function probe(options: PostgresConnectionOptions): Promise<void> {
  const client = new pg.Client(clientConfig(options));
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (error) {
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function passwordOf(connectionString: string): string | undefined {
  try {
    const password = decodeURIComponent(new URL(connectionString).password);
    return password || undefined;
  } catch {
    return undefined;
  }
}
