/**
 * Runs list API latency with 100,000 runs in storage: p95 of `GET /api/runs?limit=50` (first page) and of
 * a tag-filtered first page (`tag=team=team-7`, 5% of runs) under concurrent load over loopback HTTP.
 * Goal: p95 <= 50 ms for both.
 *
 * Floors measured in the same run: the same queries through `storage.runs.listRuns` without HTTP, and
 * `GET /api/health` (HTTP + Fastify alone) under the same load.
 *
 *   npx tsx bench/runs-list-api.ts [--runs 100000] [--concurrency 16] [--requests 2000]
 *
 * The load generator runs in a worker thread (its own event loop) so that it does not queue behind the
 * server. Uses BOSUN_TEST_DATABASE_URL's server when set, else a throwaway embedded PostgreSQL.
 */

import os from "node:os";
import { parseArgs } from "node:util";
import { PostgresStorage } from "@bosun/storage";
import { startWebserver } from "@bosun/webserver";
import { fmt, openScratchDatabase, percentile } from "./bench-support.ts";
import { emptyWorkspace, type LoadResult, loadInWorker } from "./http-load.ts";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "100000" },
    concurrency: { type: "string", default: "16" },
    requests: { type: "string", default: "2000" },
  },
});
const RUNS = Number(values.runs);
const CONCURRENCY = Number(values.concurrency);
const REQUESTS = Number(values.requests);

function load(url: string, requests = REQUESTS): Promise<LoadResult> {
  return loadInWorker({ url, concurrency: CONCURRENCY, requests });
}

const scratchDb = await openScratchDatabase("runs", "fast");

try {
  const storage = await PostgresStorage.open({ connectionString: scratchDb.url, poolSize: 10 });
  // Bulk insert (storage-internal tooling): one run per millisecond going back from now, 20 teams,
  // statuses and jobs spread like a busy deployment.
  const insertStart = performance.now();
  await storage.pgPool.query(
    `INSERT INTO runs (id, job_name, status, tags, run_config, code_location, created_at, updated_at)
     SELECT gen_random_uuid()::text,
            'job_' || (i % 50),
            (ARRAY['SUCCESS','SUCCESS','SUCCESS','FAILURE','CANCELED','QUEUED','STARTED'])[1 + i % 7],
            jsonb_build_object('team', 'team-' || (i % 20), 'env', CASE WHEN i % 3 = 0 THEN 'dev' ELSE 'prod' END,
                               'bosun/partition', '2024-01-' || lpad((1 + i % 28)::text, 2, '0')),
            '{}'::jsonb, 'main',
            date_trunc('milliseconds', now()) - (i || ' milliseconds')::interval,
            date_trunc('milliseconds', now()) - (i || ' milliseconds')::interval
     FROM generate_series(1, $1::int) AS i`,
    [RUNS],
  );
  await storage.pgPool.query("ANALYZE runs");
  console.log(
    `inserted ${RUNS.toLocaleString("en-US")} runs in ${fmt((performance.now() - insertStart) / 1000, 1)} s`,
  );

  const server = await startWebserver({ storage, workspace: emptyWorkspace, port: 0, uiDirectory: null });
  try {
    const firstPage = `${server.url}/api/runs?limit=50`;
    const tagPage = `${server.url}/api/runs?limit=50&tag=${encodeURIComponent("team=team-7")}`;
    for (const target of [firstPage, tagPage]) {
      const check = (await (await fetch(target)).json()) as { runs: unknown[] };
      if (check.runs.length !== 50) throw new Error(`${target} returned ${check.runs.length} runs`);
    }

    // Floor 1: the storage query alone, sequential.
    const direct = async (filter: Parameters<typeof storage.runs.listRuns>[0]) => {
      const times: number[] = [];
      for (let i = 0; i < 300; i++) {
        const start = performance.now();
        await storage.runs.listRuns(filter, { limit: 50 });
        times.push(performance.now() - start);
      }
      return times.slice(50);
    };
    const directFirst = await direct({});
    const directTag = await direct({ tags: { team: "team-7" } });

    // Warm up connections and plans, then measure under load.
    await load(firstPage, 300);
    await load(tagPage, 300);
    const health = await load(`${server.url}/api/health`);
    const first = await load(firstPage);
    const tagged = await load(tagPage);

    const line = (label: string, r: LoadResult) =>
      console.log(
        `${label.padEnd(30)} p50 ${fmt(percentile(r.latencies, 50)).padStart(7)} ms  p95 ${fmt(percentile(r.latencies, 95)).padStart(7)} ms  p99 ${fmt(percentile(r.latencies, 99)).padStart(7)} ms  ${Math.round(
          r.latencies.length / r.seconds,
        )
          .toString()
          .padStart(6)} req/s${r.failures ? `  ${r.failures} FAILED` : ""}`,
      );
    console.log(`\nconcurrency ${CONCURRENCY}, ${REQUESTS} requests per scenario, ${os.cpus().length} cores`);
    console.log(`floor: listRuns() first page, no HTTP      p95 ${fmt(percentile(directFirst, 95))} ms`);
    console.log(`floor: listRuns() tag-filtered, no HTTP    p95 ${fmt(percentile(directTag, 95))} ms`);
    line("floor: GET /api/health", health);
    line("GET /api/runs first page", first);
    line("GET /api/runs tag-filtered", tagged);
    const worst = Math.max(percentile(first.latencies, 95), percentile(tagged.latencies, 95));
    console.log(`\nworst p95 ${fmt(worst)} ms (goal <= 50 ms): ${worst <= 50 ? "met" : "NOT met"}`);
  } finally {
    await server.close();
    await storage.close();
  }
} finally {
  await scratchDb.close();
}
