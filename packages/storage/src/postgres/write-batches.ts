import { type Kysely, sql } from "kysely";
import type { Database } from "./database.ts";

/**
 * Records `batchKey` in the caller's transaction; false when it was there already, i.e. the batch was
 * stored by an earlier attempt and must not be stored again (`write_batches`, migration 5).
 */
export async function claimBatchKey(
  trx: Kysely<Database>,
  batchKey: string,
  runId: string,
): Promise<boolean> {
  const claimed = await sql<{ batch_key: string }>`
    INSERT INTO write_batches (batch_key, run_id) VALUES (${batchKey}, ${runId})
    ON CONFLICT (batch_key) DO NOTHING
    RETURNING batch_key`.execute(trx);
  return claimed.rows.length > 0;
}

/**
 * `claimBatchKey` and the appending transaction's lock on the runs' rows, in one statement (one round
 * trip less for every batch a worker writes). False when the key was stored already.
 */
export async function claimBatchKeyAndLockRuns(
  trx: Kysely<Database>,
  batchKey: string,
  runId: string,
  runIds: readonly string[],
): Promise<boolean> {
  const result = await sql<{ claimed: number }>`
    WITH claimed AS (
      INSERT INTO write_batches (batch_key, run_id) VALUES (${batchKey}, ${runId})
      ON CONFLICT (batch_key) DO NOTHING
      RETURNING 1
    ), locked AS (
      SELECT id FROM runs WHERE id = ANY(${[...runIds]}::text[]) ORDER BY id FOR UPDATE
    )
    SELECT (SELECT count(*) FROM claimed)::int AS claimed, (SELECT count(*) FROM locked)::int AS locked`.execute(
    trx,
  );
  return result.rows[0]!.claimed > 0;
}
