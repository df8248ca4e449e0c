import type { Migration } from "./migration.ts";

/**
 * The registry of deployments. Instance-wide: it lives in the instance's schema only. Each branch
 * deployment's data live in a schema of their own (`schema_name`, migrated like this one); `prod` has
 * none, its data are the instance schema's tables, so installations keep theirs without a data migration.
 */
export const deploymentsSchema: Migration = {
  version: 11,
  name: "deployments",
  scope: "instance",
  sql: `
CREATE TABLE deployments (
  name text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('full', 'branch')),
  base text,
  branch text UNIQUE,
  commit_sha text,
  pull_request_url text,
  status text NOT NULL CHECK (status IN ('open', 'closed')),
  schema_name text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz
);
INSERT INTO deployments (name, kind, status) VALUES ('prod', 'full', 'open');
-- Retention looks for deployments closed long enough ago.
CREATE INDEX deployments_closed_at_idx ON deployments (closed_at) WHERE status = 'closed';
`,
};
