import { PARTITION_STATUSES, type PartitionStatus } from "@bosun/core";
import type { Kysely, Selectable } from "kysely";
import type {
  AssetStatusStorage,
  PartitionStatusQuery,
  PartitionStatusRecord,
} from "../asset-status-storage.ts";
import type { AssetPartitionStatusTable, Database } from "./database.ts";

/** Reads `asset_partition_status` (migration 0013); `partition-status-index.ts` writes it. */
export class PostgresAssetStatusStorage implements AssetStatusStorage {
  constructor(private readonly db: Kysely<Database>) {}

  async countPartitionStatuses(assetKey: string): Promise<Readonly<Record<PartitionStatus, number>>> {
    const rows = await this.db
      .selectFrom("asset_partition_status")
      .select(["status", (eb) => eb.fn.countAll<string>().as("count")])
      .where("asset_key", "=", assetKey)
      .where("partition_key", "<>", "")
      .groupBy("status")
      .execute();
    const counts = Object.fromEntries(PARTITION_STATUSES.map((status) => [status, 0])) as Record<
      PartitionStatus,
      number
    >;
    for (const row of rows) counts[row.status as PartitionStatus] = Number(row.count);
    return counts;
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

  async partitionStatusMap(assetKey: string): Promise<ReadonlyMap<string, PartitionStatus>> {
    const rows = await this.db
      .selectFrom("asset_partition_status")
      .select(["partition_key", "status"])
      .where("asset_key", "=", assetKey)
      .where("partition_key", "<>", "")
      .execute();
    return new Map(rows.map((row) => [row.partition_key, row.status as PartitionStatus]));
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
