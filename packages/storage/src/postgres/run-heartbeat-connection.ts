import type { RunWorkerHeartbeatStorage } from "../instigator-storage.ts";
import { createKysely, createPool } from "./connection.ts";
import { daemonDb } from "./daemon-tables.ts";
import { PostgresHeartbeatStorage } from "./postgres-heartbeat-storage.ts";

/** Where a run worker's heartbeat connection goes. */
export interface RunHeartbeatConnectionOptions {
  /** The worker's database (its `BOSUN_DATABASE_URL`). */
  readonly connectionString: string;
  /** Shown in `pg_stat_activity`. Default "bosun-run-heartbeat". */
  readonly applicationName?: string;
}

/** A run worker's heartbeat storage on a connection of its own, and the way to close that connection. */
export interface RunHeartbeatConnection {
  readonly heartbeats: RunWorkerHeartbeatStorage;
  /** Closes the connection, waiting for a write in flight. */
  close(): Promise<void>;
}

/**
 * Opens a single pooled connection for a run worker's heartbeats, apart from the worker's storage: the
 * heartbeat thread writes through it while the worker's main thread may be busy. It connects on the
 * first write and reconnects after a lost connection, and it neither migrates nor listens. The writes
 * are `PostgresStorage`'s own (`PostgresHeartbeatStorage`).
 *
 * @example
 * const connection = openRunHeartbeatConnection({ connectionString: env.BOSUN_DATABASE_URL });
 * await connection.heartbeats.writeRunHeartbeat(runId, new Date());
 * await connection.close();
 */
export function openRunHeartbeatConnection(options: RunHeartbeatConnectionOptions): RunHeartbeatConnection {
  const pool = createPool({
    connectionString: options.connectionString,
    applicationName: options.applicationName ?? "bosun-run-heartbeat",
    poolSize: 1,
  });
  const db = daemonDb(createKysely(pool));
  return {
    heartbeats: new PostgresHeartbeatStorage(db),
    close: async () => {
      await db.destroy();
      // Kysely ends the pool only if it ever ran a query through it.
      if (!pool.ended) await pool.end();
    },
  };
}
