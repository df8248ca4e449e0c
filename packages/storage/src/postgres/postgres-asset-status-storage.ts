import { PARTITION_STATUSES, type PartitionStatus } from "@bosun/core";
import { type Kysely, type Selectable, sql } from "kysely";
import type {
  AssetStatusStorage,
  PartitionStatusQuery,
  PartitionStatusRecord,
} from "../asset-status-storage.ts";
import type { AssetPartitionStatusTable, Database } from "./database.ts";

/** Separates keys sent as one text (the ASCII unit separator). */
const KEY_DELIMITER = "\u001f";

/** Past this many delta rows for an asset, a count folds them (one row per status). */
const COMPACT_AFTER_DELTAS = 64;

/** Reads `asset_partition_status` (migration 0013); `partition-status-index.ts` writes it. */
export class PostgresAssetStatusStorage implements AssetStatusStorage {
  constructor(private readonly db: Kysely<Database>) {}

  async countPartitionStatuses(assetKey: string): Promise<Readonly<Record<PartitionStatus, number>>> {
    const { rows } = await sql<{ status: string; partitions: string; deltas: string }>`
      SELECT status, sum(delta) AS partitions, count(*) AS deltas
      FROM asset_partition_status_deltas WHERE asset_key = ${assetKey} GROUP BY status`.execute(this.db);
    const counts = Object.fromEntries(PARTITION_STATUSES.map((status) => [status, 0])) as Record<
      PartitionStatus,
      number
    >;
    for (const row of rows) counts[row.status as PartitionStatus] = Number(row.partitions);
    const deltas = rows.reduce((sum, row) => sum + Number(row.deltas), 0);
    if (deltas > COMPACT_AFTER_DELTAS) await this.compactDeltas(assetKey);
    return counts;
  }

  async partitionStatusBuckets(
    assetKey: string,
    partitionKeys: readonly string[],
    bucketSize: number,
  ): Promise<readonly Readonly<Record<PartitionStatus, number>>[]> {
    if (partitionKeys.length === 0) return [];
    const size = Math.max(1, Math.floor(bucketSize));
    const { rows } = await sql<{ bucket: number; status: string; partitions: string }>`
      WITH ${keysAndStatuses(assetKey, partitionKeys)}
      SELECT (k.ord - 1) / ${size} AS bucket, coalesce(s.status, 'MISSING') AS status, count(*) AS partitions
      FROM k LEFT JOIN s ON s.partition_key = k.key
      GROUP BY 1, 2`.execute(this.db);
    const buckets = Array.from(
      { length: Math.ceil(partitionKeys.length / size) },
      () =>
        Object.fromEntries(PARTITION_STATUSES.map((status) => [status, 0])) as Record<
          PartitionStatus,
          number
        >,
    );
    for (const row of rows)
      buckets[Number(row.bucket)]![row.status as PartitionStatus] = Number(row.partitions);
    return buckets;
  }

  async filterPartitionKeys(
    assetKey: string,
    partitionKeys: readonly string[],
    statuses: readonly PartitionStatus[],
    limit?: number,
  ): Promise<readonly string[]> {
    if (partitionKeys.length === 0 || statuses.length === 0) return [];
    const { rows } = await sql<{ key: string }>`
      WITH ${keysAndStatuses(assetKey, partitionKeys)}
      SELECT k.key FROM k LEFT JOIN s ON s.partition_key = k.key
      WHERE coalesce(s.status, 'MISSING') = ANY(${[...statuses]}::text[])
      ORDER BY k.ord
      ${limit === undefined ? sql`` : sql`LIMIT ${Math.max(0, Math.floor(limit))}`}`.execute(this.db);
    return rows.map((row) => row.key);
  }

  /**
   * Folds the asset's deltas into one row per status, in one statement: deltas appended meanwhile are
   * not in its snapshot and stay; a concurrent compaction waits on the rows and then finds them gone.
   */
  private async compactDeltas(assetKey: string): Promise<void> {
    await sql`
      WITH folded AS (
        DELETE FROM asset_partition_status_deltas WHERE asset_key = ${assetKey} RETURNING status, delta
      )
      INSERT INTO asset_partition_status_deltas (asset_key, status, delta)
      SELECT ${assetKey}, status, sum(delta) FROM folded GROUP BY status`.execute(this.db);
  }

  async listPartitionStatuses(
    assetKey: string,
    query: PartitionStatusQuery = {},
  ): Promise<readonly PartitionStatusRecord[]> {
    if (query.partitionKeys?.length === 0 || query.statuses?.length === 0) return [];
    let q = this.db.selectFrom("asset_partition_status").selectAll().where("asset_key", "=", assetKey);
    if (query.partitionKeys) q = q.where("partition_key", "in", [...query.partitionKeys]);
    if (query.statuses) q = q.where("status", "in", [...query.statuses]);
    const rows = await q.orderBy("partition_key").execute();
    return rows.map(toRecord);
  }

  async latestAttempts(assetKeys: readonly string[]): Promise<readonly PartitionStatusRecord[]> {
    if (assetKeys.length === 0) return [];
    const rows = await this.db
      .selectFrom("asset_partition_status")
      .selectAll()
      .distinctOn("asset_key")
      .where("asset_key", "in", [...assetKeys])
      .orderBy("asset_key")
      .orderBy("event_seq", "desc")
      .execute();
    return rows.map(toRecord);
  }
}

/**
 * The keys given (`k`: key, ord) and the asset's stored statuses (`s`), both materialized: the planner
 * then joins them by hashing instead of probing the index once per key (it cannot know that the
 * array holds 100,000 keys), which is what makes 100,000 partitions a matter of milliseconds.
 */
function keysAndStatuses(assetKey: string, partitionKeys: readonly string[]) {
  // One delimited text costs far less to send than an array literal of 100,000 quoted elements; a key
  // that holds the delimiter (never a time window's) sends them as an array instead.
  const keys = partitionKeys.some((key) => key.includes(KEY_DELIMITER))
    ? sql`unnest(${[...partitionKeys]}::text[])`
    : sql`string_to_table(${partitionKeys.join(KEY_DELIMITER)}::text, ${KEY_DELIMITER}::text)`;
  return sql`
    k AS MATERIALIZED (SELECT key, ord FROM ${keys} WITH ORDINALITY AS u(key, ord)),
    s AS MATERIALIZED (
      SELECT partition_key, status FROM asset_partition_status WHERE asset_key = ${assetKey} AND partition_key <> ''
    )`;
}

function toRecord(row: Selectable<AssetPartitionStatusTable>): PartitionStatusRecord {
  return {
    assetKey: row.asset_key,
    partitionKey: row.partition_key,
    status: row.status as PartitionStatus,
    runId: row.run_id,
    updatedAt: row.updated_at,
    error: row.error,
    materializedRunId: row.materialized_run_id,
    materializedAt: row.materialized_at,
  };
}
