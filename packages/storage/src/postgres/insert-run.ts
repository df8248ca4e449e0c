import type { NewRun } from "@bosun/core";
import { newEvent } from "@bosun/core";
import type { Kysely, Transaction } from "kysely";
import { RunAlreadyExistsError } from "../storage-errors.ts";
import type { DaemonDatabase } from "./daemon-tables.ts";
import type { Database } from "./database.ts";
import { appendEventsInTransaction } from "./postgres-event-log-storage.ts";

const UNIQUE_VIOLATION = "23505";

/**
 * Stores a new run. A QUEUED run gets its RUN_ENQUEUED event in the same transaction, so the run queue
 * (woken at commit) never sees a queued run without it, and the event is always the run's first.
 * With an idempotency key already taken, nothing is stored and null is returned.
 */
export async function insertRun(
  db: Kysely<Database>,
  run: NewRun,
  idempotencyKey: string | null = null,
): Promise<string | null> {
  try {
    return await db.transaction().execute(async (trx) => {
      let insert = (trx as unknown as Transaction<DaemonDatabase>).insertInto("runs").values({
        id: run.runId,
        job_name: run.jobName,
        status: run.status,
        tags: JSON.stringify(run.tags ?? {}),
        run_config: JSON.stringify(run.runConfig ?? {}),
        code_location: run.codeLocation ?? null,
        partition_key: run.partitionKey ?? null,
        asset_selection: run.assetSelection ? [...run.assetSelection] : null,
        step_keys_to_execute: run.stepKeysToExecute ? [...run.stepKeysToExecute] : null,
        parent_run_id: run.parentRunId ?? null,
        root_run_id: run.rootRunId ?? null,
        launcher_info: "{}",
        idempotency_key: idempotencyKey,
      });
      if (idempotencyKey !== null) {
        insert = insert.onConflict((oc) =>
          oc.column("idempotency_key").where("idempotency_key", "is not", null).doNothing(),
        );
      }
      const inserted = await insert.returning("id").executeTakeFirst();
      if (!inserted) return null;
      if (run.status === "QUEUED") {
        await appendEventsInTransaction(trx, [
          newEvent(run.runId, "RUN_ENQUEUED", { message: "Run queued.", data: {} }),
        ]);
      }
      return inserted.id;
    });
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new RunAlreadyExistsError(run.runId);
    throw error;
  }
}
