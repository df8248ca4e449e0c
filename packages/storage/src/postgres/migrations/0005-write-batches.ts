import type { Migration } from "./migration.ts";

/**
 * Idempotency keys of stored write batches. A worker that loses its connection in the middle of a
 * commit cannot tell whether the batch was stored; it retries under the same key, and the batch's
 * transaction first inserts the key (`ON CONFLICT DO NOTHING`): a key already there means the batch is
 * stored, and the retry stores nothing. Rows go with their run (retention).
 */
export const writeBatches: Migration = {
  version: 5,
  name: "write-batches",
  sql: `
CREATE TABLE write_batches (
  batch_key text PRIMARY KEY,
  run_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX write_batches_run_idx ON write_batches (run_id);
`,
};
