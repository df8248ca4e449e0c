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
