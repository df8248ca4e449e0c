/**
 * Retention purge throughput: `retention.purgeRuns` (batches of 1,000 runs, one transaction each:
 * pick the runs with FOR UPDATE SKIP LOCKED, delete their events, compute logs, outputs and
 * heartbeats, repair the asset index, delete the runs) against a floor measured in the same run on
 * the same server: plain `DELETE ... WHERE run_id = ANY($ids)` statements over copies of the same
 * tables (same rows, same indexes), in the same batches of 1,000 runs with the ids already known.
 * The floor does no selection, no locking and no asset index work: it is what deleting those rows
 * costs at the least.
 *
 *   npx tsx bench/retention-purge.ts [--runs 20000] [--events 10] [--rounds 3]
 *
 * Uses BOSUN_TEST_DATABASE_URL's server when set, else a throwaway embedded PostgreSQL.
 */
import { parseArgs } from "node:util";
import { PostgresStorage } from "@bosun/storage";
import type pg from "pg";
import { median, openScratchDatabase } from "./bench-support.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "20000" },
    events: { type: "string", default: "10" },
    rounds: { type: "string", default: "3" },
  },
});
const RUNS = Number(values.runs);
const EVENTS = Number(values.events);
const ROUNDS = Number(values.rounds);
const BATCH = 1000;
/** Run end times: a day apart from 2000-01-01, all older than the cutoff. */
const CUTOFF = new Date(Date.UTC(2001, 0, 1));

const scratchDb = await openScratchDatabase("purge", "durable");

/** Tables a run's data lives in, and the column holding the run id. */
const TABLES = [
  ["event_logs", "run_id"],
  ["compute_log_chunks", "run_id"],
  ["compute_log_streams", "run_id"],
  ["run_worker_heartbeats", "run_id"],
  ["runs", "id"],
] as const;

try {
  const storage = await PostgresStorage.open({ connectionString: scratchDb.url, poolSize: 2 });
  const pool = storage.pgPool;
  for (const [table] of TABLES) await pool.query(`CREATE TABLE floor_${table} (LIKE ${table} INCLUDING ALL)`);

  /**
   * RUNS finished runs, each with EVENTS events (one an asset materialization, spread over 100 assets),
   * one compute log chunk per stream and a worker heartbeat; and the same rows in the floor tables.
   */
  const fill = async (round: number) => {
    const prefix = `r${round}-`;
    await pool.query(
      `INSERT INTO runs (id, job_name, status, start_time, end_time)
       SELECT $1 || i, 'bench_job', 'SUCCESS', $2::timestamptz + i * interval '1 second',
              $2::timestamptz + i * interval '1 second' + interval '1 minute'
       FROM generate_series(1, $3) AS i`,
      [prefix, "2000-01-01T00:00:00Z", RUNS],
    );
    await pool.query(
      `INSERT INTO event_logs (run_id, type, step_key, level, timestamp, message, data, asset_key, partition_key)
       SELECT $1 || i,
              CASE WHEN e = 1 THEN 'RUN_START' WHEN e = $3 THEN 'RUN_SUCCESS'
                   WHEN e = 2 THEN 'ASSET_MATERIALIZATION' ELSE 'LOG_MESSAGE' END,
              CASE WHEN e IN (1, $3) THEN NULL ELSE 'step' END, 'info',
              $2::timestamptz + i * interval '1 second', 'processed a chunk of ' || repeat('x', 60),
              CASE WHEN e = 2 THEN jsonb_build_object('assetKey', 'asset_' || (i % 100), 'partitionKey', NULL, 'metadata', '{}'::jsonb)
                   ELSE jsonb_build_object('fields', jsonb_build_object('chunk', e, 'rows', 1000)) END,
              CASE WHEN e = 2 THEN 'asset_' || (i % 100) END, NULL
       FROM generate_series(1, $4) AS i, generate_series(1, $3) AS e
       ORDER BY i, e`,
      [prefix, "2000-01-01T00:00:00Z", EVENTS, RUNS],
    );
    // The asset index points at each asset's newest materialization, as appendEvents leaves it.
    await pool.query(
      `INSERT INTO asset_latest_materializations (asset_key, partition_key, run_id, seq, timestamp, metadata)
       SELECT DISTINCT ON (asset_key) asset_key, NULL, run_id, seq, timestamp, '{}'::jsonb
       FROM event_logs WHERE type = 'ASSET_MATERIALIZATION' AND run_id LIKE $1 || '%'
       ORDER BY asset_key, seq DESC
       ON CONFLICT ON CONSTRAINT asset_latest_key_partition_unique DO UPDATE
         SET run_id = excluded.run_id, seq = excluded.seq, timestamp = excluded.timestamp`,
      [prefix],
    );
    for (const stream of ["stdout", "stderr"]) {
      await pool.query(
        `INSERT INTO compute_log_streams (run_id, step_key, stream, size)
         SELECT $1 || i, 'step', $2, 200 FROM generate_series(1, $3) AS i`,
        [prefix, stream, RUNS],
      );
      await pool.query(
        `INSERT INTO compute_log_chunks (run_id, step_key, stream, byte_offset, data)
         SELECT $1 || i, 'step', $2, 0, convert_to(repeat('log line\n', 20), 'UTF8') FROM generate_series(1, $3) AS i`,
        [prefix, stream, RUNS],
      );
    }
    await pool.query(
      `INSERT INTO run_worker_heartbeats (run_id, timestamp)
       SELECT $1 || i, '2000-01-01T00:00:00Z' FROM generate_series(1, $2) AS i`,
      [prefix, RUNS],
    );
    for (const [table] of TABLES) {
      const columns = table === "runs" ? await insertableColumns(pool, "runs") : "*";
      const list = columns === "*" ? "" : `(${columns})`;
      await pool.query(
        `INSERT INTO floor_${table} ${list} SELECT ${columns} FROM ${table} WHERE ${table === "runs" ? "id" : "run_id"} LIKE $1 || '%'`,
        [prefix],
      );
    }
    await pool.query("VACUUM ANALYZE");
    return Array.from({ length: RUNS }, (_, i) => `${prefix}${i + 1}`);
  };

  const floorDelete = async (runIds: string[]) => {
    const start = performance.now();
    for (let i = 0; i < runIds.length; i += BATCH) {
      const ids = runIds.slice(i, i + BATCH);
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        for (const [table, column] of TABLES)
          await client.query(`DELETE FROM floor_${table} WHERE ${column} = ANY($1::text[])`, [ids]);
        await client.query("COMMIT");
      } finally {
        client.release();
      }
    }
    return (performance.now() - start) / 1000;
  };

  const purge = async () => {
    const start = performance.now();
    const result = await storage.retention.purgeRuns(CUTOFF, { batchSize: BATCH });
    const seconds = (performance.now() - start) / 1000;
    if (result.deleted !== RUNS) throw new Error(`purged ${result.deleted} runs, expected ${RUNS}`);
    return seconds;
  };

  const line = (label: string, seconds: number) =>
    console.log(
      `${label.padEnd(40)} ${Math.round(RUNS / seconds)
        .toLocaleString("en-US")
        .padStart(8)} runs/s  (${seconds.toFixed(2)} s)`,
    );

  console.log(
    `${RUNS.toLocaleString("en-US")} finished runs x ${EVENTS} events (+2 compute log chunks, 1 heartbeat each), batches of ${BATCH}, durable PostgreSQL settings`,
  );
  const floor: number[] = [];
  const ours: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const runIds = await fill(round);
    // Alternate which goes first, to even out cache and autovacuum effects.
    if (round % 2) {
      floor.push(await floorDelete(runIds));
      ours.push(await purge());
    } else {
      ours.push(await purge());
      floor.push(await floorDelete(runIds));
    }
    line(`floor: batched DELETE by id (round ${round})`, floor.at(-1)!);
    line(`purgeRuns (round ${round})`, ours.at(-1)!);
    const left = await pool.query("SELECT count(*)::int AS n FROM event_logs");
    if (left.rows[0].n !== 0) throw new Error(`${left.rows[0].n} events left after the purge`);
  }
  const floorRate = RUNS / median(floor);
  const ourRate = RUNS / median(ours);
  console.log(`median floor     ${Math.round(floorRate).toLocaleString("en-US")} runs/s`);
  console.log(`median purgeRuns ${Math.round(ourRate).toLocaleString("en-US")} runs/s`);
  console.log(`ratio purgeRuns / floor: ${(ourRate / floorRate).toFixed(2)} (goal >= 0.50)`);
  await storage.close();
} finally {
  await scratchDb.close();
}

/** Columns of `table` that accept values (generated columns do not). */
async function insertableColumns(pool: pg.Pool, table: string): Promise<string> {
  const { rows } = await pool.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
     WHERE table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((row) => row.column_name).join(", ");
}
