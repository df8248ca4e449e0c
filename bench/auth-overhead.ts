/**
 * What auth costs a request: p50 and p95 of `GET /api/runs?limit=50` with a user token (auth on: the
 * token is looked up by its hash, the role checked) beside the same route on a webserver with auth off,
 * both on the same storage and measured in the same run, in alternating rounds so drift hits both alike.
 * Goal: at most 1 ms added at p50.
 *
 *   npx tsx bench/auth-overhead.ts [--runs 1000] [--rounds 6] [--requests 500] [--concurrency 1]
 *
 * The load generator runs in a worker thread (its own event loop). Uses BOSUN_TEST_DATABASE_URL's
 * server when set, else a throwaway embedded PostgreSQL.
 */

import { parseArgs } from "node:util";
import { AUTH_DISABLED } from "@bosun/instance";
import { PostgresStorage } from "@bosun/storage";
import { startWebserver } from "@bosun/webserver";
import { fmt, openScratchDatabase, percentile } from "./bench-support.ts";
import { emptyWorkspace, type LoadResult, loadInWorker } from "./http-load.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "1000" },
    rounds: { type: "string", default: "6" },
    requests: { type: "string", default: "500" },
    concurrency: { type: "string", default: "1" },
  },
});
const RUNS = Number(values.runs);
const ROUNDS = Number(values.rounds);
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);

function load(url: string, headers: Record<string, string>): Promise<LoadResult> {
  return loadInWorker({ url, headers, concurrency: CONCURRENCY, requests: REQUESTS });
}

const scratchDb = await openScratchDatabase("auth", "fast");
try {
  const storage = await PostgresStorage.open({ connectionString: scratchDb.url, poolSize: 10 });
  await storage.pgPool.query(
    `INSERT INTO runs (id, job_name, status, tags, run_config, code_location, created_at, updated_at)
     SELECT gen_random_uuid()::text, 'job_' || (i % 50), 'SUCCESS', '{"team":"a"}'::jsonb, '{}'::jsonb, 'main',
            now() - (i || ' milliseconds')::interval, now() - (i || ' milliseconds')::interval
     FROM generate_series(1, $1::int) AS i`,
    [RUNS],
  );
  await storage.pgPool.query("ANALYZE runs");
  // Other tokens in the table, so the lookup is an index probe among many, as in a real instance.
  for (let i = 0; i < 200; i++)
    await storage.auth.createToken({ name: `other-${i}`, kind: "user", role: "viewer" });
  const { secret } = await storage.auth.createToken({ name: "bench", kind: "user", role: "viewer" });

  const open = await startWebserver({ storage, workspace: emptyWorkspace, port: 0, uiDirectory: null });
  const secured = await startWebserver({
    storage,
    workspace: emptyWorkspace,
    port: 0,
    uiDirectory: null,
    auth: { ...AUTH_DISABLED, enabled: true },
  });
  try {
    const path = "/api/runs?limit=50";
    const without: number[] = [];
    const withToken: number[] = [];
    let failures = 0;
    // Warm-up of both, not counted.
    await load(`${open.url}${path}`, {});
    await load(`${secured.url}${path}`, { authorization: `Bearer ${secret}` });
    for (let round = 0; round < ROUNDS; round++) {
      const a = await load(`${open.url}${path}`, {});
      const b = await load(`${secured.url}${path}`, { authorization: `Bearer ${secret}` });
      without.push(...a.latencies);
      withToken.push(...b.latencies);
      failures += a.failures + b.failures;
    }
    const row = (name: string, xs: number[]) =>
      `${name.padEnd(28)} p50 ${fmt(percentile(xs, 50)).padStart(7)} ms   p95 ${fmt(percentile(xs, 95)).padStart(7)} ms   (${xs.length} requests)`;
    console.log(`GET ${path}, ${RUNS} runs, concurrency ${CONCURRENCY}, ${ROUNDS} alternating rounds`);
    console.log(row("auth off", without));
    console.log(row("auth on, user token", withToken));
    const p50 = percentile(withToken, 50) - percentile(without, 50);
    const p95 = percentile(withToken, 95) - percentile(without, 95);
    console.log(`added by auth: p50 ${fmt(p50)} ms, p95 ${fmt(p95)} ms (goal: p50 <= 1 ms)`);
    if (failures > 0) console.log(`FAILED requests: ${failures}`);
  } finally {
    await open.close();
    await secured.close();
    await storage.close();
  }
} finally {
  await scratchDb.close();
}
