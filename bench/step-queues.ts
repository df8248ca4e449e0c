/**
 * Step queues (docs/step-queues.md), on each backend in the same run:
 *  - BullMQ's own floor: N no-op jobs added in bulk and processed by one in-process Worker;
 *  - N trivial steps through the queue executor (run worker here, `bosun queue worker` processes
 *    running each step in a step process); steps per second, ratio to the floor, overhead per step;
 *  - on PostgreSQL, a fan-out/fan-in (1 + W + 1 steps) through the queue beside the multiprocess executor.
 * Goals (issue 17): queue rate >= 0.5x the raw rate; fan-out/fan-in <= 2x the multiprocess wall time.
 *
 *   npx tsx bench/step-queues.ts [--steps 1000] [--fan 200] [--workers 2] [--concurrency 4]
 *
 * Redis is Debian's redis-server on an ephemeral port (the Redis half is skipped, saying so, without it).
 */
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { executeRun, loadDefinitions } from "@bosun/engine";
import { openInstance, parseQueueSettings } from "@bosun/instance";
import { openQueueBackend, queueExecutorFactory } from "@bosun/queues";
import { inProcessLocation, RunRequests } from "@bosun/runs";
import { REDIS_SERVER_BIN, startBosun, startTestRedis, type TestRedis } from "@bosun/test-support";
import YAML from "yaml";
import { fmt } from "./bench-support.ts";

const { values } = parseArgs({
  options: {
    steps: { type: "string", default: "1000" },
    fan: { type: "string", default: "200" },
    workers: { type: "string", default: "2" },
    concurrency: { type: "string", default: "4" },
  },
});
const STEPS = Number(values.steps);
const FAN = Number(values.fan);
const WORKERS = Number(values.workers);
const CONCURRENCY = Number(values.concurrency);
// The fixture sizes its jobs from these (in this process and in every step process).
process.env.BOSUN_BENCH_TRIVIAL_STEPS = String(STEPS);
process.env.BOSUN_BENCH_FAN_WIDTH = String(FAN);

const origin = {
  file: fileURLToPath(new URL("../packages/queues/test/fixtures/queue-location.ts", import.meta.url)),
};
const definitions = await loadDefinitions(origin);
const home = await mkdtemp(path.join(tmpdir(), "bosun-bench-queues-"));
await chmod(home, 0o755);
process.env.BOSUN_HOME = home;
const instance = await openInstance({ home });
const databaseUrl = instance.childEnv.BOSUN_DATABASE_URL;
const requests = new RunRequests({
  storage: instance.storage,
  locations: inProcessLocation(definitions, origin),
});

async function runJob(jobName: string): Promise<number> {
  const run = await requests.launch({ jobName, status: "NOT_STARTED" });
  const started = performance.now();
  const status = await executeRun({
    storage: instance.storage,
    bosunHome: home,
    runId: run.runId,
    origin,
    definitions,
    childEnv: instance.childEnv,
    executors: { queue: async () => queueExecutorFactory },
  });
  if (status !== "SUCCESS") throw new Error(`${jobName} ended ${status}`);
  return performance.now() - started;
}

/** BullMQ alone: `count` no-op jobs added in bulk, processed by one Worker in this process. */
async function rawRate(queuesSection: Record<string, unknown>, count: number): Promise<number> {
  const backend = await openQueueBackend(parseQueueSettings({ queues: queuesSection }), databaseUrl);
  try {
    const name = `bench_raw_${Date.now().toString(36)}`;
    const queue = await backend.queue(name);
    let done = 0;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const started = performance.now();
    await queue.addBulk(
      Array.from({ length: count }, (_, i) => ({
        name: "noop",
        data: { i },
        opts: { removeOnComplete: true },
      })),
    );
    const worker = backend.worker(
      name,
      async () => {
        done += 1;
        if (done === count) finish();
      },
      { concurrency: CONCURRENCY * WORKERS },
    );
    await finished;
    const seconds = (performance.now() - started) / 1000;
    await worker.close();
    await queue.obliterate({ force: true });
    return count / seconds;
  } finally {
    await backend.close();
  }
}

async function withWorkers<T>(fn: () => Promise<T>): Promise<T> {
  const workers = Array.from({ length: WORKERS }, () =>
    startBosun(["queue", "worker", "--queue", "default", "--concurrency", String(CONCURRENCY)], {
      ...instance.childEnv,
      BOSUN_HOME: home,
    }),
  );
  try {
    return await fn();
  } finally {
    for (const { child } of workers) child.kill("SIGTERM");
    await Promise.all(workers.map(({ done }) => done));
  }
}

let redis: TestRedis | null = null;
try {
  const backends: { name: string; section: Record<string, unknown> }[] = [
    { name: "postgresql", section: { backend: "postgresql" } },
  ];
  if (existsSync(REDIS_SERVER_BIN)) {
    redis = await startTestRedis();
    backends.push({ name: "redis", section: { backend: "redis", redis: { url: redis.url } } });
  } else console.log(`redis: skipped (no ${REDIS_SERVER_BIN}; Debian: apt-get install -y redis-server)`);

  console.log(
    `${WORKERS} queue workers x concurrency ${CONCURRENCY}; ${STEPS} trivial steps; fan-out width ${FAN}`,
  );
  for (const backend of backends) {
    await writeFile(path.join(home, "bosun.yaml"), YAML.stringify({ queues: backend.section }));
    const raw = await rawRate(backend.section, STEPS);
    const wallMs = await withWorkers(() => runJob("trivial_job"));
    const rate = STEPS / (wallMs / 1000);
    console.log(`${backend.name}:`);
    console.log(`  BullMQ raw add+process: ${fmt(raw, 0)} jobs/s`);
    console.log(
      `  queue executor: ${fmt(rate, 1)} steps/s (wall ${fmt(wallMs, 0)} ms), ratio to raw ${fmt(rate / raw, 4)}x (goal >= 0.5x), overhead ${fmt(wallMs / STEPS - 1000 / raw, 1)} ms per step`,
    );
    if (backend.name === "postgresql") {
      const queueMs = await withWorkers(() => runJob("fan_queue_job"));
      const multiprocessMs = await runJob("fan_multiprocess_job");
      console.log(
        `  fan-out/fan-in (${FAN + 2} steps): queue ${fmt(queueMs, 0)} ms, multiprocess ${fmt(multiprocessMs, 0)} ms, ratio ${fmt(queueMs / multiprocessMs)}x (goal <= 2x)`,
      );
    }
  }
} finally {
  await redis?.stop();
  await instance.close();
  await rm(home, { recursive: true, force: true });
}
