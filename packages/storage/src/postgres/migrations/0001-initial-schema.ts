import type { Migration } from "./migration.ts";

/**
 * Runs, the event log, the asset index, compute logs and output blobs.
 *
 * Timestamps on `runs` are truncated to milliseconds so that a JavaScript `Date` round-trips exactly,
 * which keeps the (created_at, id) keyset cursor exact.
 */
export const initialSchema: Migration = {
  version: 1,
  name: "initial-schema",
  sql: `
CREATE TABLE runs (
  id text PRIMARY KEY,
  job_name text NOT NULL,
  status text NOT NULL,
  tags jsonb NOT NULL DEFAULT '{}'::jsonb,
  run_config jsonb NOT NULL DEFAULT '{}'::jsonb,
  code_location text,
  partition_key text,
  asset_selection text[],
  step_keys_to_execute text[],
  parent_run_id text,
  root_run_id text,
  launcher_info jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
  updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
  start_time timestamptz,
  end_time timestamptz
);
-- Newest-first keyset pagination, alone and under the common filters.
CREATE INDEX runs_created_idx ON runs (created_at DESC, id DESC);
CREATE INDEX runs_status_created_idx ON runs (status, created_at DESC, id DESC);
CREATE INDEX runs_job_created_idx ON runs (job_name, created_at DESC, id DESC);
-- tags @> '{"k":"v"}'
CREATE INDEX runs_tags_idx ON runs USING gin (tags jsonb_path_ops);
CREATE INDEX runs_root_run_idx ON runs (root_run_id) WHERE root_run_id IS NOT NULL;

CREATE TABLE event_logs (
  seq bigserial PRIMARY KEY,
  run_id text NOT NULL,
  type text NOT NULL,
  step_key text,
  level text NOT NULL,
  timestamp timestamptz NOT NULL,
  message text NOT NULL,
  data jsonb NOT NULL,
  asset_key text,
  partition_key text
);
CREATE INDEX event_logs_run_seq_idx ON event_logs (run_id, seq);
CREATE INDEX event_logs_run_step_idx ON event_logs (run_id, step_key, seq);
CREATE INDEX event_logs_type_idx ON event_logs (type, seq);
CREATE INDEX event_logs_asset_idx ON event_logs (asset_key, seq DESC) WHERE asset_key IS NOT NULL;

-- Latest materialization per asset key and partition (NULL partition = unpartitioned), maintained in the
-- transaction that stores the event.
CREATE TABLE asset_latest_materializations (
  asset_key text NOT NULL,
  partition_key text,
  run_id text NOT NULL,
  seq bigint NOT NULL,
  timestamp timestamptz NOT NULL,
  metadata jsonb NOT NULL,
  CONSTRAINT asset_latest_key_partition_unique UNIQUE NULLS NOT DISTINCT (asset_key, partition_key)
);

-- One row per (run, step, stream) holding the byte length so far; appends reserve their offset here.
CREATE TABLE compute_log_streams (
  run_id text NOT NULL,
  step_key text NOT NULL,
  stream text NOT NULL,
  size bigint NOT NULL,
  PRIMARY KEY (run_id, step_key, stream)
);
CREATE TABLE compute_log_chunks (
  run_id text NOT NULL,
  step_key text NOT NULL,
  stream text NOT NULL,
  byte_offset bigint NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (run_id, step_key, stream, byte_offset)
);

CREATE TABLE output_blobs (
  run_id text NOT NULL,
  step_key text NOT NULL,
  output_name text NOT NULL,
  data bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, step_key, output_name)
);
`,
};
