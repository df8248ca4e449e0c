import type { SerializableFailure } from "@bosun/core";
import { type Kysely, sql } from "kysely";
import type {
  DaemonHeartbeat,
  DaemonHeartbeatStorage,
  DaemonType,
  RunWorkerHeartbeatStorage,
} from "../instigator-storage.ts";
import type { DaemonDatabase } from "./daemon-tables.ts";

/** Heartbeats of daemon loops (one row per loop and daemon process) and of run workers (one row per run). */
export class PostgresHeartbeatStorage implements DaemonHeartbeatStorage, RunWorkerHeartbeatStorage {
  constructor(private readonly db: Kysely<DaemonDatabase>) {}

  async writeHeartbeat(heartbeat: DaemonHeartbeat): Promise<void> {
    const errors = JSON.stringify(heartbeat.errors);
    await this.db
      .insertInto("daemon_heartbeats")
      .values({
        daemon_type: heartbeat.daemonType,
        daemon_id: heartbeat.daemonId,
        timestamp: heartbeat.timestamp,
        errors,
      })
      .onConflict((oc) =>
        oc.columns(["daemon_type", "daemon_id"]).doUpdateSet({ timestamp: heartbeat.timestamp, errors }),
      )
      .execute();
  }

  async listHeartbeats(): Promise<readonly DaemonHeartbeat[]> {
    const rows = await this.db
      .selectFrom("daemon_heartbeats")
      .selectAll()
      .orderBy("daemon_type")
      .orderBy("timestamp", "desc")
      .execute();
    return rows.map((row) => ({
      daemonType: row.daemon_type as DaemonType,
      daemonId: row.daemon_id,
      timestamp: row.timestamp,
      errors: row.errors as SerializableFailure[],
    }));
  }

  async writeRunHeartbeat(runId: string, at: Date): Promise<void> {
    await this.db
      .insertInto("run_worker_heartbeats")
      .values({ run_id: runId, timestamp: at })
      .onConflict((oc) =>
        oc
          .column("run_id")
          .doUpdateSet({ timestamp: sql`greatest(run_worker_heartbeats.timestamp, excluded.timestamp)` }),
      )
      .execute();
  }

  async runsWithStaleHeartbeat(
    olderThan: Date,
  ): Promise<readonly { readonly runId: string; readonly lastHeartbeat: Date | null }[]> {
    const rows = await this.db
      .selectFrom("runs")
      .leftJoin("run_worker_heartbeats", "run_worker_heartbeats.run_id", "runs.id")
      .select(["runs.id as runId", "run_worker_heartbeats.timestamp as lastHeartbeat"])
      .where("runs.status", "in", ["STARTING", "STARTED"])
      .where((eb) =>
        eb.or([
          eb("run_worker_heartbeats.timestamp", "is", null),
          eb("run_worker_heartbeats.timestamp", "<", olderThan),
        ]),
      )
      .orderBy("runs.id")
      .execute();
    return rows.map((row) => ({ runId: row.runId, lastHeartbeat: row.lastHeartbeat ?? null }));
  }
}
