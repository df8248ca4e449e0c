import type { Migration } from "./migration.ts";

/**
 * Auth: API tokens (stored as the SHA-256 of a random secret, never the secret) and the audit log of
 * mutating API calls.
 */
export const authSchema: Migration = {
  version: 7,
  name: "auth",
  scope: "instance",
  sql: `
CREATE TABLE api_tokens (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('user', 'agent', 'run')),
  role text NOT NULL CHECK (role IN ('viewer', 'launcher', 'editor', 'admin')),
  location text,
  run_id text,
  secret_hash bytea NOT NULL UNIQUE,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz
);
-- Names are how people revoke tokens: unique among those still in force.
CREATE UNIQUE INDEX api_tokens_active_name_idx ON api_tokens (name) WHERE revoked_at IS NULL;

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  actor_kind text NOT NULL,
  action text NOT NULL,
  permission text,
  object text,
  address text,
  decision text NOT NULL CHECK (decision IN ('allowed', 'denied')),
  status_code integer NOT NULL,
  reason text
);
CREATE INDEX audit_log_at_idx ON audit_log (at, id);
`,
};
