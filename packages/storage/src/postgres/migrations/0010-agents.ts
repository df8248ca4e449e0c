import type { Migration } from "./migration.ts";

/**
 * Hybrid mode's control-plane side: the agents that serve deployments, the requests handed to them
 * (leased to one agent at a time, see `@bosun/core`'s agent protocol) and each deployment's desired
 * code locations, one row per version. Every row that belongs to a deployment carries its name, so
 * these tables are instance-wide: a branch deployment's schema does not get its own copy.
 */
export const agentsSchema: Migration = {
  version: 10,
  name: "agents",
  scope: "instance",
  sql: `
CREATE TABLE agents (
  id text PRIMARY KEY,
  label text NOT NULL,
  version text NOT NULL,
  deployments text[] NOT NULL,
  queues text[] NOT NULL,
  token_name text NOT NULL,
  registered_at timestamptz NOT NULL,
  last_heartbeat_at timestamptz NOT NULL,
  status jsonb
);

CREATE TABLE agent_requests (
  id uuid PRIMARY KEY,
  seq bigserial NOT NULL UNIQUE,
  deployment text NOT NULL DEFAULT 'prod',
  queue text NOT NULL DEFAULT 'default',
  type text NOT NULL,
  payload jsonb NOT NULL,
  target_agent_id text,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'leased', 'acknowledged', 'completed', 'failed', 'unsupported')),
  agent_id text,
  attempts integer NOT NULL DEFAULT 0,
  lease_expires_at timestamptz,
  result jsonb,
  error jsonb,
  created_at timestamptz NOT NULL,
  leased_at timestamptz,
  acknowledged_at timestamptz,
  finished_at timestamptz
);
-- What a long poll looks through: requests not finished yet, oldest first.
CREATE INDEX agent_requests_open_idx ON agent_requests (deployment, seq)
  WHERE status IN ('pending', 'leased', 'acknowledged');
-- A heartbeat renews the leases its agent holds.
CREATE INDEX agent_requests_holder_idx ON agent_requests (agent_id)
  WHERE status IN ('leased', 'acknowledged');

CREATE TABLE deployment_locations (
  deployment text NOT NULL DEFAULT 'prod',
  version integer NOT NULL,
  locations jsonb NOT NULL,
  created_by text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (deployment, version)
);
`,
};
