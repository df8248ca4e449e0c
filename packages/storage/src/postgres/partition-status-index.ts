import type { NewEvent } from "@bosun/core";
import { type Kysely, sql } from "kysely";
import type { Database } from "./database.ts";

/** The asset runs a batch's run-level events belong to: what they target. */
interface RunTarget {
  readonly partitionKey: string;
  readonly assetKeys: readonly string[];
}

/**
 * Keeps `asset_partition_status` (migration 0013) in the transaction that appends the events, so the
 * status can never disagree with the event log:
 *
 * - RUN_START of an asset run: each selected asset's partition goes IN_PROGRESS;
 * - ASSET_MATERIALIZATION: that partition goes MATERIALIZED;
 * - RUN_FAILURE: each selected asset's partition that this run did not materialize goes FAILED, with
 *   the last exhausted step failure's message (or the run's reason);
 * - RUN_CANCELED: the partitions this run had IN_PROGRESS go FAILED ("canceled"); a run canceled
 *   before it started leaves them as they were;
 * - RUN_SUCCESS: partitions this run left IN_PROGRESS (an asset it skipped) go back to MATERIALIZED
 *   when they were materialized before, else to MISSING.
 *
 * Every write applies only over an older event (`event_seq`), so it is safe whatever order batches of
 * different runs commit in.
 */
export async function updatePartitionStatuses(
  trx: Kysely<Database>,
  events: readonly NewEvent[],
  seqs: readonly number[],
): Promise<void> {
  const runEnds = events.some((event) => RUN_LEVEL.has(event.type));
  const targets = runEnds ? await runTargets(trx, events) : new Map<string, RunTarget>();
  for (const [index, event] of events.entries()) {
    const seq = seqs[index]!;
    const at = new Date(event.timestamp);
    if (event.type === "ASSET_MATERIALIZATION") {
      await upsert(trx, [event.data.assetKey], event.data.partitionKey ?? "", {
        status: "MATERIALIZED",
        runId: event.runId,
        seq,
        at,
        error: null,
        materialized: true,
      });
      continue;
    }
    const target = targets.get(event.runId);
    if (!target) continue;
    switch (event.type) {
      case "RUN_START":
        await upsert(trx, target.assetKeys, target.partitionKey, {
          status: "IN_PROGRESS",
          runId: event.runId,
          seq,
          at,
          error: null,
          materialized: false,
        });
        break;
      case "RUN_FAILURE":
        await upsert(trx, target.assetKeys, target.partitionKey, {
          status: "FAILED",
          runId: event.runId,
          seq,
          at,
          error: (await lastStepFailure(trx, event.runId)) ?? event.data.reason,
          materialized: false,
        });
        break;
      case "RUN_CANCELED":
        await endInProgress(trx, target, event.runId, seq, at, sql`'FAILED'`, "canceled");
        break;
      case "RUN_SUCCESS":
        await endInProgress(
          trx,
          target,
          event.runId,
          seq,
          at,
          sql`CASE WHEN materialized_at IS NULL THEN 'MISSING' ELSE 'MATERIALIZED' END`,
          null,
        );
        break;
    }
  }
}

const RUN_LEVEL = new Set<NewEvent["type"]>(["RUN_START", "RUN_FAILURE", "RUN_CANCELED", "RUN_SUCCESS"]);

/** Asset runs among the batch's runs with run-level events; job runs have no asset selection. */
async function runTargets(
  trx: Kysely<Database>,
  events: readonly NewEvent[],
): Promise<Map<string, RunTarget>> {
  const runIds = [...new Set(events.filter((e) => RUN_LEVEL.has(e.type)).map((e) => e.runId))];
  const rows = await trx
    .selectFrom("runs")
    .select(["id", "partition_key", "asset_selection"])
    .where("id", "in", runIds)
    .where("asset_selection", "is not", null)
    .execute();
  return new Map(
    rows.map((row) => [
      row.id,
      { partitionKey: row.partition_key ?? "", assetKeys: row.asset_selection ?? [] },
    ]),
  );
}

interface StatusWrite {
  readonly status: "MATERIALIZED" | "FAILED" | "IN_PROGRESS";
  readonly runId: string;
  readonly seq: number;
  readonly at: Date;
  readonly error: string | null;
  /** Whether this write is a materialization (it then also becomes the latest materialization). */
  readonly materialized: boolean;
}

async function upsert(
  trx: Kysely<Database>,
  assetKeys: readonly string[],
  partitionKey: string,
  write: StatusWrite,
): Promise<void> {
  if (assetKeys.length === 0) return;
  const materializedRunId = write.materialized ? write.runId : null;
  const materializedAt = write.materialized ? write.at : null;
  // A failure never overrides a materialization made by the same run (a later step of it failed).
  const keepOwnMaterialization =
    write.status === "FAILED"
      ? sql`AND NOT (s.status = 'MATERIALIZED' AND s.run_id = excluded.run_id)`
      : sql``;
  await sql`
    INSERT INTO asset_partition_status AS s
      (asset_key, partition_key, status, run_id, event_seq, updated_at, error, materialized_run_id, materialized_at)
    SELECT a.key, ${partitionKey}, ${write.status}, ${write.runId}, ${write.seq}, ${write.at}, ${write.error},
           ${materializedRunId}, ${materializedAt}::timestamptz
    FROM unnest(${[...assetKeys]}::text[]) AS a(key)
    ON CONFLICT (asset_key, partition_key) DO UPDATE
      SET status = excluded.status, run_id = excluded.run_id, event_seq = excluded.event_seq,
          updated_at = excluded.updated_at, error = excluded.error,
          materialized_run_id = coalesce(excluded.materialized_run_id, s.materialized_run_id),
          materialized_at = coalesce(excluded.materialized_at, s.materialized_at)
      WHERE s.event_seq < excluded.event_seq ${keepOwnMaterialization}`.execute(trx);
}

/** Ends the partitions this run still has IN_PROGRESS (none when another attempt took them over). */
async function endInProgress(
  trx: Kysely<Database>,
  target: RunTarget,
  runId: string,
  seq: number,
  at: Date,
  status: ReturnType<typeof sql>,
  error: string | null,
): Promise<void> {
  await sql`
    UPDATE asset_partition_status
    SET status = ${status}, event_seq = ${seq}, updated_at = ${at}, error = ${error}
    WHERE asset_key = ANY(${[...target.assetKeys]}::text[]) AND partition_key = ${target.partitionKey}
      AND run_id = ${runId} AND status = 'IN_PROGRESS' AND event_seq < ${seq}`.execute(trx);
}

/** The message of the run's last step failure, stored earlier in this transaction or before it. */
async function lastStepFailure(trx: Kysely<Database>, runId: string): Promise<string | null> {
  const row = await sql<{ message: string | null }>`
    SELECT data->'failure'->>'message' AS message FROM event_logs
    WHERE run_id = ${runId} AND type = 'STEP_FAILURE' ORDER BY seq DESC LIMIT 1`.execute(trx);
  return row.rows[0]?.message ?? null;
}
