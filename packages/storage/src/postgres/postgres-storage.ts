import { didYouMean } from "@bosun/core";
import { type Kysely, sql } from "kysely";
import pg from "pg";
import { DeploymentNotFoundError, type DeploymentStorages, PROD_DEPLOYMENT } from "../deployment-storage.ts";
import type { BosunStorage } from "../storage.ts";
import { agentDb } from "./agent-tables.ts";
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
import { deploymentConnectionString, deploymentsDb } from "./deployment-tables.ts";
import { migrate } from "./migrate.ts";
import { NotificationListener } from "./notification-listener.ts";
import { AGENT_REQUESTS_CHANNEL, PostgresAgentStorage } from "./postgres-agent-storage.ts";
import { PostgresAssetStatusStorage } from "./postgres-asset-status-storage.ts";
import { API_TOKENS_CHANNEL, PostgresAuthStorage } from "./postgres-auth-storage.ts";
import { COMPUTE_LOGS_CHANNEL, PostgresComputeLogStorage } from "./postgres-compute-log-storage.ts";
import { PostgresDeploymentStorage } from "./postgres-deployment-storage.ts";
import { PostgresDesiredLocationsStorage } from "./postgres-desired-locations-storage.ts";
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
  /**
   * Set when this storage is a branch deployment's (its connection string's search path is the
   * deployment's schema): the instance-wide stores it shares with the instance's storage, and the
   * migrations it runs are the per-deployment ones.
   */
  readonly instanceStores?: InstanceStores;
}

/** The stores that exist once per instance, whichever deployment a storage serves. */
interface InstanceStores {
  readonly auth: PostgresAuthStorage;
  readonly sessions: PostgresSessionStorage;
  readonly agents: PostgresAgentStorage;
  readonly desiredLocations: PostgresDesiredLocationsStorage;
  readonly deployments: PostgresDeploymentStorage;
}

/** Connections of a branch deployment's query pool: they idle out, but many deployments add up. */
const DEPLOYMENT_POOL_SIZE = 4;

/**
 * All Bosun storage in one PostgreSQL database: a query pool plus one listener connection shared by
 * every watch.
 *
 * @example
 * const storage = await PostgresStorage.open({ connectionString: "postgres://bosun@db:5432/bosun" });
 * const run = await storage.runs.getRun(runId);
 * await storage.close();
 */
export class PostgresStorage implements BosunStorage, DeploymentStorages {
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
  readonly agents: PostgresAgentStorage;
  readonly desiredLocations: PostgresDesiredLocationsStorage;
  /** The instance's registry of deployments (shared by every deployment's storage). */
  readonly deployments: PostgresDeploymentStorage;
  /** Branch deployments' storages opened through this one, by name; closed with it. */
  private readonly opened = new Map<string, Promise<PostgresStorage>>();
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
    const shared = options.instanceStores;
    this.auth = shared?.auth ?? new PostgresAuthStorage(authDb(db), listener);
    this.sessions = shared?.sessions ?? new PostgresSessionStorage(sessionDb(db));
    this.agents = shared?.agents ?? new PostgresAgentStorage(agentDb(db), listener);
    this.desiredLocations = shared?.desiredLocations ?? new PostgresDesiredLocationsStorage(agentDb(db));
    this.deployments = shared?.deployments ?? new PostgresDeploymentStorage(deploymentsDb(db));
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
      if (options.migrate !== false)
        await migrate(pool, undefined, options.instanceStores ? "deployment" : "instance");
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    const listener = new NotificationListener(options, [
      RUN_EVENTS_CHANNEL,
      COMPUTE_LOGS_CHANNEL,
      RUN_QUEUE_CHANNEL,
      API_TOKENS_CHANNEL,
      AGENT_REQUESTS_CHANNEL,
    ]);
    return new PostgresStorage(options, pool, createKysely(pool), listener);
  }

  /**
   * The storage of the named deployment: this one for `prod`, else the branch deployment's (its schema
   * created and migrated on first use, then kept open until this storage closes). Throws
   * `DeploymentNotFoundError` for a name the registry does not hold. Closed deployments resolve too:
   * their history stays readable; refusing writes is the caller's rule (the webserver's 409).
   */
  forDeployment(name: string): Promise<PostgresStorage> {
    if (name === PROD_DEPLOYMENT || this.options.instanceStores) return this.resolveOwn(name);
    let opening = this.opened.get(name);
    if (!opening) {
      opening = this.openBranchDeployment(name);
      this.opened.set(name, opening);
      // A failed open is not remembered: the next call tries again.
      opening.catch(() => this.opened.delete(name));
    }
    return opening;
  }

  /** Closes a branch deployment's connections (before its schema is dropped). */
  async releaseDeployment(name: string): Promise<void> {
    const opening = this.opened.get(name);
    this.opened.delete(name);
    if (opening) await (await opening.catch(() => null))?.close();
  }

  private async resolveOwn(name: string): Promise<PostgresStorage> {
    if (name !== PROD_DEPLOYMENT)
      throw new Error("a branch deployment's storage resolves no other deployment");
    return this;
  }

  private async openBranchDeployment(name: string): Promise<PostgresStorage> {
    const schema = await this.deployments.schemaOf(name);
    if (schema === null) {
      const known = (await this.deployments.listDeployments()).map((d) => d.name);
      throw new DeploymentNotFoundError(name, didYouMean(name, known));
    }
    await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(this.db);
    return PostgresStorage.open({
      connectionString: deploymentConnectionString(this.options.connectionString, schema),
      poolSize: Math.min(this.options.poolSize ?? DEPLOYMENT_POOL_SIZE, DEPLOYMENT_POOL_SIZE),
      ...(this.options.applicationName ? { applicationName: this.options.applicationName } : {}),
      // A new deployment's schema is empty, and an older one may predate this Bosun's migrations.
      migrate: true,
      instanceStores: {
        auth: this.auth,
        sessions: this.sessions,
        agents: this.agents,
        desiredLocations: this.desiredLocations,
        deployments: this.deployments,
      },
    });
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
      await Promise.all([...this.opened.keys()].map((name) => this.releaseDeployment(name)));
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
