import type { ColumnType, Generated } from "kysely";

/** Kysely's view of the tables created by `migrations/`. */
export interface Database {
  runs: RunsTable;
  event_logs: EventLogsTable;
  asset_latest_materializations: AssetLatestMaterializationsTable;
  asset_partition_status: AssetPartitionStatusTable;
  compute_log_streams: ComputeLogStreamsTable;
  compute_log_chunks: ComputeLogChunksTable;
  output_blobs: OutputBlobsTable;
}

/** jsonb: written as JSON text, read back parsed. */
type Jsonb<T> = ColumnType<T, string, string>;

export interface RunsTable {
  id: string;
  job_name: string;
  status: string;
  tags: Jsonb<Record<string, string>>;
  run_config: Jsonb<unknown>;
  code_location: string | null;
  partition_key: string | null;
  asset_selection: string[] | null;
  step_keys_to_execute: string[] | null;
  parent_run_id: string | null;
  root_run_id: string | null;
  launcher_info: Jsonb<Record<string, unknown>>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  start_time: Date | null;
  end_time: Date | null;
}

export interface EventLogsTable {
  /** bigserial; the pool parses int8 as number. */
  seq: Generated<number>;
  run_id: string;
  type: string;
  step_key: string | null;
  level: string;
  timestamp: Date;
  message: string;
  data: Jsonb<unknown>;
  asset_key: string | null;
  partition_key: string | null;
}

export interface AssetLatestMaterializationsTable {
  asset_key: string;
  partition_key: string | null;
  run_id: string;
  seq: number;
  timestamp: Date;
  metadata: Jsonb<Record<string, unknown>>;
}

export interface ComputeLogStreamsTable {
  run_id: string;
  step_key: string;
  stream: string;
  size: number;
}

export interface ComputeLogChunksTable {
  run_id: string;
  step_key: string;
  stream: string;
  byte_offset: number;
  data: Buffer;
}

export interface OutputBlobsTable {
  run_id: string;
  step_key: string;
  output_name: string;
  data: Buffer;
  created_at: Generated<Date>;
}

/** Migration 0013: where each partition of each asset stands (`partition-status-index.ts` keeps it). */
export interface AssetPartitionStatusTable {
  asset_key: string;
  /** Empty for an unpartitioned asset. */
  partition_key: string;
  status: string;
  run_id: string;
  event_seq: ColumnType<string | number, number, number>;
  updated_at: Date;
  error: string | null;
  materialized_run_id: string | null;
  materialized_at: Date | null;
}
