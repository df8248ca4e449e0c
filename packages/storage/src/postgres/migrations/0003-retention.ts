import type { Migration } from "./migration.ts";

/**
 * Indexes for the daemon's RETENTION loop: finding old finished runs and old ticks without scanning,
 * and repairing the asset index when the runs holding latest materializations are deleted.
 */
export const retentionIndexes: Migration = {
  version: 3,
  name: "retention",
  sql: `
-- Finished runs by age: the end time, or the last update for a run that ended without one.
CREATE INDEX runs_finished_age_idx ON runs ((coalesce(end_time, updated_at)))
  WHERE status IN ('SUCCESS', 'FAILURE', 'CANCELED');

-- Ticks by kind, status and time.
CREATE INDEX instigator_ticks_age_idx ON instigator_ticks (kind, status, timestamp);

-- Latest-materialization rows that point into a run being deleted.
CREATE INDEX asset_latest_run_idx ON asset_latest_materializations (run_id);

-- The newest remaining materialization of one asset partition.
CREATE INDEX event_logs_asset_partition_idx ON event_logs (asset_key, partition_key, seq DESC)
  WHERE asset_key IS NOT NULL;
`,
};
