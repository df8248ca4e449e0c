/**
 * Partition status at scale: an asset with 100,000 hourly partitions among 1,000,000 partition status
 * rows (ten such assets). Measures, in the same run:
 *
 * - the asset page's status query (counts per status, `countPartitionStatuses`): goal p95 ≤ 50 ms;
 * - the whole status summary the asset page gets (keys from the definition, stored statuses, the bar);
 * - the backfill planner's "all missing or failed" for a two-asset chain (`partitionKeysInStatus` on
 *   both): goal ≤ 2 s;
 * - the floor: a plain indexed `SELECT count(*)` of the asset's rows.
 *
 *   npx tsx bench/partitions.ts [--partitions 100000] [--assets 10] [--samples 40]
 *
 * Uses BOSUN_TEST_DATABASE_URL's server when set, else a throwaway embedded PostgreSQL.
 */

import { parseArgs } from "node:util";
import type { PartitionsSnapshot } from "@bosun/code-server";
import { partitionKeysInStatus, partitionStatusSummary } from "@bosun/daemon";
import { PostgresStorage } from "@bosun/storage";
import { fmt, openScratchDatabase, percentile } from "./bench-support.ts";

const { values } = parseArgs({
  options: {
    partitions: { type: "string", default: "100000" },
    assets: { type: "string", default: "10" },
    samples: { type: "string", default: "40" },
  },
});
const PARTITIONS = Number(values.partitions);
const ASSETS = Number(values.assets);
const SAMPLES = Number(values.samples);
const HOUR = 3_600_000;

// Hourly partitions whose last full window ended at the last hour boundary: exactly PARTITIONS keys.
const lastHour = Math.floor(Date.now() / HOUR) * HOUR;
const partitions: PartitionsSnapshot = {
  kind: "hourly",
  start: new Date(lastHour - PARTITIONS * HOUR).toISOString(),
};
const now = new Date(lastHour + 1);

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, result };
}

async function sample(fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) times.push((await time(fn)).ms);
  return times;
}

const scratchDb = await openScratchDatabase("partitions", "fast");
try {
  const storage = await PostgresStorage.open({ connectionString: scratchDb.url, poolSize: 5 });
  // Rows as the event log would leave them: per asset, most partitions materialized, some failed, a few
  // in progress, some back to missing after a skipped attempt; the rest of the keys have no row at all.
  const filled = await time(() =>
    storage.pgPool.query(
      `INSERT INTO asset_partition_status
         (asset_key, partition_key, status, run_id, event_seq, updated_at, error, materialized_run_id, materialized_at)
       SELECT 'asset_' || a, to_char(to_timestamp($2::float8 / 1000) + (p || ' hours')::interval, 'YYYY-MM-DD-HH24:00'),
              CASE WHEN p % 100 < 80 THEN 'MATERIALIZED' WHEN p % 100 < 85 THEN 'FAILED'
                   WHEN p % 100 < 86 THEN 'IN_PROGRESS' ELSE 'MISSING' END,
              'run-' || a || '-' || p, a::bigint * $1 + p, now(),
              CASE WHEN p % 100 BETWEEN 80 AND 84 THEN 'boom' END, 'run-' || a || '-' || p, now()
       FROM generate_series(0, $3::int - 1) AS a, generate_series(0, $1::int - 1) AS p
       WHERE p % 100 < 90 OR a > 0`,
      [PARTITIONS, Date.parse(partitions.start!), ASSETS],
    ),
  );
  await storage.pgPool.query("VACUUM ANALYZE asset_partition_status");
  const { rows } = await storage.pgPool.query<{ n: string }>(
    "SELECT count(*) AS n FROM asset_partition_status",
  );
  console.log(
    `${Number(rows[0]!.n).toLocaleString()} status rows over ${ASSETS} assets of ${PARTITIONS.toLocaleString()} hourly partitions (filled in ${fmt(filled.ms / 1000, 1)} s)`,
  );

  const target = "asset_0";
  // Warm the caches once, as a live instance would be. The first count folds the million deltas the
  // fill left; the VACUUM then clears what that deleted, as autovacuum would on a live instance (where
  // each fold deletes at most a few dozen rows).
  await storage.assetStatus.countPartitionStatuses(target);
  await storage.pgPool.query("VACUUM ANALYZE asset_partition_status_deltas");
  await partitionStatusSummary(storage, target, partitions, now);

  const floor = await sample(() =>
    storage.pgPool.query("SELECT count(*) FROM asset_partition_status WHERE asset_key = $1", [target]),
  );
  const counts = await sample(() => storage.assetStatus.countPartitionStatuses(target));
  const summary = await sample(() => partitionStatusSummary(storage, target, partitions, now));
  const planned = await time(async () => {
    const upstream = await partitionKeysInStatus(storage, "asset_0", partitions, ["MISSING", "FAILED"], now);
    const downstream = await partitionKeysInStatus(
      storage,
      "asset_1",
      partitions,
      ["MISSING", "FAILED"],
      now,
    );
    return new Set([...upstream, ...downstream]).size;
  });
  const planner = [planned.ms];
  for (let i = 1; i < Math.min(SAMPLES, 5); i++)
    planner.push(
      (
        await time(async () => {
          await partitionKeysInStatus(storage, "asset_0", partitions, ["MISSING", "FAILED"], now);
          await partitionKeysInStatus(storage, "asset_1", partitions, ["MISSING", "FAILED"], now);
        })
      ).ms,
    );

  const line = (name: string, times: number[], goal?: number) => {
    const p50 = percentile(times, 50);
    const p95 = percentile(times, 95);
    const verdict =
      goal === undefined ? "" : p95 <= goal ? `  (goal ≤ ${goal} ms: met)` : `  (goal ≤ ${goal} ms: MISSED)`;
    console.log(
      `${name.padEnd(44)} p50 ${fmt(p50).padStart(8)} ms  p95 ${fmt(p95).padStart(8)} ms  ×${fmt(p95 / percentile(floor, 95), 1)} floor${verdict}`,
    );
  };
  console.log(`samples per figure: ${SAMPLES} (planner: ${planner.length})`);
  line("floor: indexed SELECT count(*) of one asset", floor);
  line("asset page status query (counts per status)", counts, 50);
  line("asset page summary (keys, statuses, bar)", summary);
  line(`planner: all missing/failed of a 2-asset chain`, planner, 2000);
  console.log(`planner found ${planned.result.toLocaleString()} partitions to backfill`);
  await storage.close();
} finally {
  await scratchDb.close();
}
