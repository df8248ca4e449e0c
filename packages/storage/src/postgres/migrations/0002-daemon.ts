import type { Migration } from "./migration.ts";

/**
 * What the daemon needs: the run queue (idempotency keys, priority, a notification when the queue
 * changes), schedule and sensor state with their ticks, daemon heartbeats and run worker heartbeats.
 */
export const daemonSchema: Migration = {
  version: 2,
  name: "daemon",
  sql: `
-- A schedule tick, a sensor run key or a retry creates at most one run: the key is unique.
ALTER TABLE runs ADD COLUMN idempotency_key text;
CREATE UNIQUE INDEX runs_idempotency_key_idx ON runs (idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Queue priority, from the bosun/priority tag (an integer; anything else counts as 0).
ALTER TABLE runs ADD COLUMN priority integer GENERATED ALWAYS AS (
  CASE WHEN (tags ->> 'bosun/priority') ~ '^\\s*[-+]?[0-9]{1,9}\\s*$' THEN (tags ->> 'bosun/priority')::integer ELSE 0 END
) STORED;
-- Admission order, read by the run coordinator.
CREATE INDEX runs_queue_idx ON runs (priority DESC, created_at, id) WHERE status = 'QUEUED';
-- What counts against the concurrency limits.
CREATE INDEX runs_in_progress_idx ON runs (status) WHERE status IN ('STARTING', 'STARTED', 'CANCELING');
-- Failed runs the run monitor may retry.
CREATE INDEX runs_retry_candidates_idx ON runs (end_time) WHERE status = 'FAILURE' AND tags ? 'bosun/max_retries';

-- Wakes run coordinators (in any process) when a run is queued or frees a slot. Done by a trigger so that
-- every writer of runs notifies, whichever code path it takes; notifications within one transaction are
-- delivered once, at commit.
CREATE FUNCTION bosun_notify_run_queue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('bosun_run_queue', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER runs_queue_insert_notify AFTER INSERT ON runs
  FOR EACH ROW WHEN (NEW.status = 'QUEUED') EXECUTE FUNCTION bosun_notify_run_queue();
CREATE TRIGGER runs_queue_update_notify AFTER UPDATE OF status ON runs
  FOR EACH ROW WHEN (
    (NEW.status = 'QUEUED' AND OLD.status <> 'QUEUED')
    OR (OLD.status IN ('STARTING', 'STARTED', 'CANCELING') AND NEW.status NOT IN ('STARTING', 'STARTED', 'CANCELING'))
  ) EXECUTE FUNCTION bosun_notify_run_queue();

-- Schedules and sensors that were toggled or evaluated (absent: the definition's default status applies).
CREATE TABLE instigator_states (
  kind text NOT NULL,
  location text NOT NULL,
  name text NOT NULL,
  status text NOT NULL,
  cursor text,
  last_evaluated_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
  PRIMARY KEY (kind, location, name)
);

-- One row per tick. The unique key is what makes a tick happen once: a daemon claims the tick by
-- inserting its row before it requests any run, and a second daemon's insert does nothing.
CREATE TABLE instigator_ticks (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  location text NOT NULL,
  name text NOT NULL,
  tick_key text NOT NULL,
  status text NOT NULL,
  timestamp timestamptz NOT NULL,
  run_ids text[] NOT NULL DEFAULT '{}',
  run_keys text[] NOT NULL DEFAULT '{}',
  skip_reason text,
  error jsonb,
  cursor text,
  created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
  ended_at timestamptz,
  CONSTRAINT instigator_ticks_key_unique UNIQUE (kind, location, name, tick_key)
);
CREATE INDEX instigator_ticks_latest_idx ON instigator_ticks (kind, location, name, timestamp DESC, id DESC);

-- Latest heartbeat of each daemon loop of each daemon process.
CREATE TABLE daemon_heartbeats (
  daemon_type text NOT NULL,
  daemon_id text NOT NULL,
  timestamp timestamptz NOT NULL,
  errors jsonb NOT NULL DEFAULT '[]'::jsonb,
  PRIMARY KEY (daemon_type, daemon_id)
);

-- Latest heartbeat of each run's worker.
CREATE TABLE run_worker_heartbeats (
  run_id text PRIMARY KEY,
  timestamp timestamptz NOT NULL
);
`,
};
