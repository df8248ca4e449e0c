import type { Migration } from "./migration.ts";

/**
 * Sign-in sessions (OpenID Connect): the session id is kept only as its SHA-256, like API tokens. The
 * CSRF token is kept as is: it is useless without the session cookie, and it must be shown to the UI.
 */
export const sessionsSchema: Migration = {
  version: 8,
  name: "sessions",
  scope: "instance",
  sql: `
CREATE TABLE sessions (
  id_hash bytea PRIMARY KEY,
  subject text NOT NULL,
  name text NOT NULL,
  email text,
  grants jsonb NOT NULL,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
-- An admin revokes a user's sessions by subject.
CREATE INDEX sessions_subject_idx ON sessions (subject) WHERE revoked_at IS NULL;
`,
};
