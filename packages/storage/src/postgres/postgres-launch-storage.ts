import { type JsonValue, newEvent } from "@bosun/core";
import { type Kysely, sql, type Transaction } from "kysely";
import {
  type LaunchAttempt,
  type LaunchLease,
  type LaunchStorage,
  WORKER_LAUNCH_ATTEMPT_KEY,
} from "../launch-storage.ts";
import type { PostgresConnectionOptions } from "./connection.ts";
import { DaemonLease, leaseHeldSql } from "./daemon-lease.ts";
import type { DaemonDatabase } from "./daemon-tables.ts";
import type { Database } from "./database.ts";
import { appendEventsInTransaction } from "./postgres-event-log-storage.ts";
import type { PostgresRunStorage } from "./postgres-run-storage.ts";

/** Launch attempts, claims and daemon leases in the `runs` table (migration 0006). */
export class PostgresLaunchStorage implements LaunchStorage {
  constructor(
    private readonly options: PostgresConnectionOptions,
    private readonly db: Kysely<DaemonDatabase>,
    private readonly runs: PostgresRunStorage,
  ) {}

  holdLease(owner: string): Promise<LaunchLease> {
    return DaemonLease.take(this.options, owner);
  }

  async takeOverAbandoned(owner: string, limit: number): Promise<readonly LaunchAttempt[]> {
    const taken = await this.db.transaction().execute(async (trx) => {
      // Rows another daemon is taking over (or a worker is claiming) right now are left to it.
      const { rows } = await sql<{ id: string; launch_attempt: number; launch_owner: string | null }>`
        SELECT id, launch_attempt, launch_owner FROM runs
        WHERE launch_state = 'ADMITTED' AND status = 'STARTING'
          AND (launch_owner IS NULL OR NOT ${sql.raw(leaseHeldSql("runs.launch_owner"))})
        ORDER BY updated_at, id
        LIMIT ${Math.max(1, Math.floor(limit))}
        FOR UPDATE SKIP LOCKED`.execute(trx);
      if (rows.length === 0) return [];
      await trx
        .updateTable("runs")
        .set({
          launch_attempt: sql`launch_attempt + 1`,
          launch_owner: owner,
          // A new attempt gets the whole start_timeout_seconds.
          updated_at: sql`date_trunc('milliseconds', clock_timestamp())`,
        })
        .where(
          "id",
          "in",
          rows.map((row) => row.id),
        )
        .execute();
      await appendEventsInTransaction(
        trx as unknown as Transaction<Database>,
        rows.map((row) => ({
          ...newEvent(row.id, "ENGINE_EVENT", {
            level: "warning",
            message: `Relaunching the run (launch attempt ${row.launch_attempt + 1}): daemon ${row.launch_owner ?? "(unknown)"} admitted it and is gone before starting its worker.`,
            data: {
              detail: { launchAttempt: row.launch_attempt + 1, previousOwner: row.launch_owner, owner },
            },
          }),
          timestamp: Date.now(),
        })),
      );
      return rows;
    });
    if (taken.length === 0) return [];
    const page = await this.runs.listRuns({ runIds: taken.map((row) => row.id) }, { limit: taken.length });
    const byId = new Map(page.runs.map((run) => [run.runId, run]));
    return taken.flatMap((row) => {
      const run = byId.get(row.id);
      return run ? [{ run, attempt: row.launch_attempt + 1, previousOwner: row.launch_owner }] : [];
    });
  }

  async recordLaunch(
    runId: string,
    attempt: number,
    info: Readonly<Record<string, JsonValue>>,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable("runs")
      .set({
        launcher_info: sql`launcher_info || ${JSON.stringify(info)}::jsonb`,
        // The worker may have claimed the run before its launcher returned.
        launch_state: sql`CASE WHEN launch_state = 'ADMITTED' THEN 'LAUNCHED' ELSE launch_state END`,
      })
      .where("id", "=", runId)
      .where("launch_attempt", "=", attempt)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async claim(runId: string, attempt: number): Promise<boolean> {
    const result = await this.db
      .updateTable("runs")
      .set({ launch_state: "CLAIMED" })
      .where("id", "=", runId)
      .where("launch_state", "in", ["ADMITTED", "LAUNCHED"])
      .where((eb) =>
        eb.or([
          eb("launch_attempt", "=", attempt),
          // The recorded launch adopted the worker of an earlier attempt (see WORKER_LAUNCH_ATTEMPT_KEY).
          eb.and([
            eb("launch_state", "=", "LAUNCHED"),
            eb(sql`launcher_info ->> ${WORKER_LAUNCH_ATTEMPT_KEY}`, "=", String(attempt)),
          ]),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async currentAttempt(runId: string): Promise<number | null> {
    const row = await this.db
      .selectFrom("runs")
      .select("launch_attempt")
      .where("id", "=", runId)
      .executeTakeFirst();
    return row ? Number(row.launch_attempt) : null;
  }
}
