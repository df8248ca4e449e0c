import { TERMINAL_RUN_STATUSES } from "@bosun/core";
import { type Kysely, sql, type Transaction } from "kysely";
import type { FinishedTickStatus, InstigatorKind } from "../instigator-storage.ts";
import {
  DEFAULT_PURGE_BATCH_SIZE,
  type PurgeOptions,
  type PurgeResult,
  type RetentionStorage,
} from "../retention-storage.ts";
import type { DaemonDatabase } from "./daemon-tables.ts";

const FINISHED = [...TERMINAL_RUN_STATUSES];

/**
 * Retention in PostgreSQL. Each batch picks its rows with `FOR UPDATE SKIP LOCKED`, so two daemons
 * purging at once split the work instead of waiting on each other, and a run that another transaction
 * holds (an event append, say) is left for the next pass. Nothing here relies on foreign keys: the
 * tables that hold a run's data are listed in `deleteRuns`.
 */
export class PostgresRetentionStorage implements RetentionStorage {
  constructor(private readonly db: Kysely<DaemonDatabase>) {}

  purgeRuns(endedBefore: Date, options: PurgeOptions = {}): Promise<PurgeResult> {
    return inBatches(options, (limit) =>
      this.db.transaction().execute(async (trx) => {
        const picked = await sql<{ id: string }>`
          SELECT id FROM runs
          WHERE status = ANY(${FINISHED}::text[]) AND coalesce(end_time, updated_at) < ${endedBefore}
          ORDER BY coalesce(end_time, updated_at)
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED`.execute(trx);
        const ids = picked.rows.map((row) => row.id);
        if (ids.length > 0) await deleteRuns(trx, ids);
        return ids.length;
      }),
    );
  }

  purgeTicks(
    kind: InstigatorKind,
    statuses: readonly FinishedTickStatus[],
    before: Date,
    options: PurgeOptions = {},
  ): Promise<PurgeResult> {
    if (statuses.length === 0) return Promise.resolve({ deleted: 0, batches: 0, complete: true });
    return inBatches(options, async (limit) => {
      // One statement, so one transaction per batch. The newest tick of each instigator is never picked.
      const deleted = await sql`
        DELETE FROM instigator_ticks WHERE id IN (
          SELECT t.id FROM instigator_ticks t
          WHERE t.kind = ${kind} AND t.status = ANY(${[...statuses]}::text[]) AND t.timestamp < ${before}
            AND t.id <> (
              SELECT newest.id FROM instigator_ticks newest
              WHERE newest.kind = t.kind AND newest.location = t.location AND newest.name = t.name
              ORDER BY newest.timestamp DESC, newest.id DESC
              LIMIT 1)
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED)`.execute(this.db);
      return Number(deleted.numAffectedRows ?? 0);
    });
  }

  purgeAudit(before: Date, options: PurgeOptions = {}): Promise<PurgeResult> {
    return inBatches(options, async (limit) => {
      const deleted = await sql`
        DELETE FROM audit_log WHERE id IN (
          SELECT id FROM audit_log WHERE at < ${before} ORDER BY at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED)`.execute(
        this.db,
      );
      return Number(deleted.numAffectedRows ?? 0);
    });
  }
}

/** Runs `batch` (which deletes up to `limit` rows and says how many) until a batch comes back short. */
async function inBatches(
  options: PurgeOptions,
  batch: (limit: number) => Promise<number>,
): Promise<PurgeResult> {
  const limit = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_PURGE_BATCH_SIZE));
  const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY;
  let deleted = 0;
  let batches = 0;
  while (batches < maxBatches) {
    const count = await batch(limit);
    if (count > 0) {
      deleted += count;
      batches++;
    }
    if (count < limit) return { deleted, batches, complete: true };
  }
  return { deleted, batches, complete: false };
}

/** Everything stored for these runs, then the runs; the caller's transaction holds their rows. */
async function deleteRuns(trx: Transaction<DaemonDatabase>, ids: readonly string[]): Promise<void> {
  const runIds = [...ids];
  await sql`DELETE FROM event_logs WHERE run_id = ANY(${runIds}::text[])`.execute(trx);
  await sql`DELETE FROM compute_log_chunks WHERE run_id = ANY(${runIds}::text[])`.execute(trx);
  await sql`DELETE FROM compute_log_streams WHERE run_id = ANY(${runIds}::text[])`.execute(trx);
  await sql`DELETE FROM write_batches WHERE run_id = ANY(${runIds}::text[])`.execute(trx);
  await sql`DELETE FROM output_blobs WHERE run_id = ANY(${runIds}::text[])`.execute(trx);
  await sql`DELETE FROM run_worker_heartbeats WHERE run_id = ANY(${runIds}::text[])`.execute(trx);
  await repointAssetIndex(trx, runIds);
  await sql`DELETE FROM runs WHERE id = ANY(${runIds}::text[])`.execute(trx);
}

/**
 * Asset (partition) rows of the latest-materialization index that pointed into the deleted runs now
 * point at the newest materialization left in the event log (the deleted runs' events are already
 * gone), or are dropped when none is left. A newer materialization committed meanwhile wins, as in
 * `appendEvents` (the upsert only ever moves a row to a higher seq).
 */
async function repointAssetIndex(trx: Transaction<DaemonDatabase>, runIds: string[]): Promise<void> {
  const dropped = await sql<{ asset_key: string; partition_key: string | null }>`
    DELETE FROM asset_latest_materializations WHERE run_id = ANY(${runIds}::text[])
    RETURNING asset_key, partition_key`.execute(trx);
  if (dropped.rows.length === 0) return;
  const unpartitioned = dropped.rows.filter((row) => row.partition_key === null).map((row) => row.asset_key);
  const partitioned = dropped.rows.filter((row) => row.partition_key !== null);
  // Two statements so that each lookup is an index scan (`IS NOT DISTINCT FROM` cannot use one).
  if (unpartitioned.length > 0)
    await sql`
      INSERT INTO asset_latest_materializations (asset_key, partition_key, run_id, seq, timestamp, metadata)
      SELECT k.asset_key, NULL, e.run_id, e.seq, e.timestamp, coalesce(e.data -> 'metadata', '{}'::jsonb)
      FROM unnest(${unpartitioned}::text[]) AS k(asset_key)
      CROSS JOIN LATERAL (
        SELECT run_id, seq, timestamp, data FROM event_logs
        WHERE asset_key = k.asset_key AND partition_key IS NULL AND type = 'ASSET_MATERIALIZATION'
        ORDER BY seq DESC LIMIT 1) e
      ON CONFLICT ON CONSTRAINT asset_latest_key_partition_unique DO UPDATE
        SET run_id = excluded.run_id, seq = excluded.seq, timestamp = excluded.timestamp, metadata = excluded.metadata
        WHERE asset_latest_materializations.seq < excluded.seq`.execute(trx);
  if (partitioned.length > 0)
    await sql`
      INSERT INTO asset_latest_materializations (asset_key, partition_key, run_id, seq, timestamp, metadata)
      SELECT k.asset_key, k.partition_key, e.run_id, e.seq, e.timestamp, coalesce(e.data -> 'metadata', '{}'::jsonb)
      FROM unnest(${partitioned.map((row) => row.asset_key)}::text[],
                  ${partitioned.map((row) => row.partition_key)}::text[]) AS k(asset_key, partition_key)
      CROSS JOIN LATERAL (
        SELECT run_id, seq, timestamp, data FROM event_logs
        WHERE asset_key = k.asset_key AND partition_key = k.partition_key AND type = 'ASSET_MATERIALIZATION'
        ORDER BY seq DESC LIMIT 1) e
      ON CONFLICT ON CONSTRAINT asset_latest_key_partition_unique DO UPDATE
        SET run_id = excluded.run_id, seq = excluded.seq, timestamp = excluded.timestamp, metadata = excluded.metadata
        WHERE asset_latest_materializations.seq < excluded.seq`.execute(trx);
}
