import type { Migration } from "./migration.ts";

/**
 * Where each partition of each asset stands (materialized, failed, in progress), one row per asset and
 * partition, so an asset page reads 100,000 partitions without scanning the event log. Kept up to date
 * in the transaction that appends the events (`partition-status-index.ts`); this migration fills it
 * from the events stored before it. An unpartitioned asset has one row, under the empty partition key
 * (partition keys are never empty: the SDK refuses them).
 *
 * `event_seq` is the event that last moved the row: a write only applies over an older one, so
 * batches stored out of order cannot move a partition back.
 */
export const assetPartitionStatus: Migration = {
  version: 13,
  name: "asset-partition-status",
  sql: `
CREATE TABLE asset_partition_status (
  asset_key text NOT NULL,
  partition_key text NOT NULL,
  status text NOT NULL CHECK (status IN ('MATERIALIZED', 'FAILED', 'IN_PROGRESS', 'MISSING')),
  -- The latest attempt: its run, the event that recorded it, when, and its error when it failed.
  run_id text NOT NULL,
  event_seq bigint NOT NULL,
  updated_at timestamptz NOT NULL,
  error text,
  -- The latest materialization, kept through later failed attempts.
  materialized_run_id text,
  materialized_at timestamptz,
  PRIMARY KEY (asset_key, partition_key)
);
-- Counts per status and lists filtered by status: index-only scans within one asset.
CREATE INDEX asset_partition_status_by_status_idx ON asset_partition_status (asset_key, status, partition_key);
-- The latest attempt of an asset, whichever partition it touched.
CREATE INDEX asset_partition_status_latest_idx ON asset_partition_status (asset_key, event_seq DESC);

CREATE TABLE asset_partition_status_deltas (
  asset_key text NOT NULL,
  status text NOT NULL,
  delta bigint NOT NULL
);
CREATE INDEX asset_partition_status_deltas_asset_idx ON asset_partition_status_deltas (asset_key);

-- Materializations stored before this migration.
INSERT INTO asset_partition_status
  (asset_key, partition_key, status, run_id, event_seq, updated_at, materialized_run_id, materialized_at)
SELECT asset_key, coalesce(partition_key, ''), 'MATERIALIZED', run_id, seq, timestamp, run_id, timestamp
FROM asset_latest_materializations;

-- Later attempts of asset runs that failed, were canceled or are still under way: the latest per
-- partition wins over an older materialization (but not over one made by the same run).
WITH attempts AS (
  SELECT DISTINCT ON (a.asset_key, coalesce(r.partition_key, ''))
    a.asset_key, coalesce(r.partition_key, '') AS partition_key, r.id AS run_id, r.status,
    last_event.seq, last_event.timestamp
  FROM runs r
  CROSS JOIN LATERAL unnest(r.asset_selection) AS a(asset_key)
  CROSS JOIN LATERAL (
    SELECT seq, timestamp FROM event_logs e WHERE e.run_id = r.id ORDER BY seq DESC LIMIT 1
  ) last_event
  WHERE r.asset_selection IS NOT NULL
    AND r.status IN ('STARTING', 'STARTED', 'CANCELING', 'FAILURE', 'CANCELED')
  ORDER BY a.asset_key, coalesce(r.partition_key, ''), last_event.seq DESC
)
INSERT INTO asset_partition_status AS s (asset_key, partition_key, status, run_id, event_seq, updated_at, error)
SELECT attempts.asset_key, attempts.partition_key,
       CASE WHEN attempts.status IN ('FAILURE', 'CANCELED') THEN 'FAILED' ELSE 'IN_PROGRESS' END,
       attempts.run_id, attempts.seq, attempts.timestamp,
       CASE WHEN attempts.status = 'CANCELED' THEN 'canceled'
            WHEN attempts.status = 'FAILURE' THEN coalesce(
              (SELECT e.data->'failure'->>'message' FROM event_logs e
               WHERE e.run_id = attempts.run_id AND e.type = 'STEP_FAILURE' ORDER BY e.seq DESC LIMIT 1),
              (SELECT e.data->>'reason' FROM event_logs e
               WHERE e.run_id = attempts.run_id AND e.type = 'RUN_FAILURE' ORDER BY e.seq DESC LIMIT 1))
       END
FROM attempts
ON CONFLICT (asset_key, partition_key) DO UPDATE
  SET status = excluded.status, run_id = excluded.run_id, event_seq = excluded.event_seq,
      updated_at = excluded.updated_at, error = excluded.error
  WHERE s.event_seq < excluded.event_seq AND s.run_id <> excluded.run_id;

-- Counts of what was filled above, then the trigger keeps them for every later change.
INSERT INTO asset_partition_status_deltas (asset_key, status, delta)
SELECT asset_key, status, count(*) FROM asset_partition_status WHERE partition_key <> '' GROUP BY asset_key, status;

CREATE FUNCTION asset_partition_status_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.status = NEW.status THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.partition_key <> '' THEN
    INSERT INTO asset_partition_status_deltas VALUES (OLD.asset_key, OLD.status, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.partition_key <> '' THEN
    INSERT INTO asset_partition_status_deltas VALUES (NEW.asset_key, NEW.status, 1);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER asset_partition_status_count
  AFTER INSERT OR UPDATE OF status OR DELETE ON asset_partition_status
  FOR EACH ROW EXECUTE FUNCTION asset_partition_status_count();
`,
};
