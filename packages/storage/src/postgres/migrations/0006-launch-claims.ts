import type { Migration } from "./migration.ts";

/**
 * Launch intent, kept with the run so that a daemon crash between admission and launch loses nothing
 * (see `launch-storage.ts`): which launch attempt is current, which daemon owns it, and how far it got.
 * Runs admitted before this migration have no launch state and are never relaunched.
 */
export const launchClaims: Migration = {
  version: 6,
  name: "launch-claims",
  sql: `
ALTER TABLE runs
  ADD COLUMN launch_attempt integer NOT NULL DEFAULT 0,
  ADD COLUMN launch_owner text,
  ADD COLUMN launch_state text CHECK (launch_state IN ('ADMITTED', 'LAUNCHED', 'CLAIMED'));

-- Admitted runs whose worker is not recorded yet: what a daemon looks through for abandoned launches.
CREATE INDEX runs_unlaunched_idx ON runs (launch_owner) WHERE launch_state = 'ADMITTED';
`,
};
