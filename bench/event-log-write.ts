/**
 * Event log write throughput: `appendEvents` (one transaction per batch: per-run lock, unnest insert,
 * run status update, asset index upsert, notify) against a floor measured in the same run on the same
 * server: a bare multi-row INSERT of the same rows into an equivalent table with the same indexes, in
 * autocommit. Goal: appendEvents reaches at least half the floor.
 *
 * Beside it, the path run workers take: the same batches through `BufferedStorageWriter` (ordered buffer,
 * retry rule, an idempotency key per batch inserted in the batch's transaction). Goal: at least 0.9 of
 * direct `appendEvents`.
 *
 *   npx tsx bench/event-log-write.ts [--batches 400] [--batch-size 50] [--writers 4]
 *
 * Uses BOSUN_TEST_DATABASE_URL's server when set, else a throwaway embedded PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import type { NewEvent } from "@bosun/core";
import { BufferedStorageWriter, PostgresStorage } from "@bosun/storage";
import { median, openScratchDatabase } from "./bench-support.ts";

const { values } = parseArgs({
  options: {
    batches: { type: "string", default: "400" },
    "batch-size": { type: "string", default: "50" },
    writers: { type: "string", default: "4" },
  },
});
const BATCHES = Number(values.batches);
const BATCH_SIZE = Number(values["batch-size"]);
const WRITERS = Number(values.writers);

const scratchDb = await openScratchDatabase("events", "durable");

try {
  const storage = await PostgresStorage.open({ connectionString: scratchDb.url, poolSize: WRITERS + 1 });
  const pool = storage.pgPool;
  await pool.query("CREATE TABLE floor_events (LIKE event_logs INCLUDING ALL)");
  await pool.query(
    "ALTER TABLE floor_events ALTER COLUMN seq SET DEFAULT nextval(pg_get_serial_sequence('event_logs', 'seq'))",
  );

  // Realistic traffic: each writer is a run worker; batches mix step lifecycle, logs and materializations.
  const runIds = Array.from({ length: WRITERS }, () => `bench-${randomUUID()}`);
  for (const runId of runIds)
    await storage.runs.createRun({ runId, jobName: "bench_job", status: "STARTING" });
  const batchesFor = (runId: string, round: number): NewEvent[][] =>
    Array.from({ length: BATCHES / WRITERS }, (_, b) => makeBatch(runId, b, round));

  const measure = async (label: string, write: (batch: NewEvent[]) => Promise<unknown>, round: number) => {
    const work = runIds.map((runId) => batchesFor(runId, round));
    const start = performance.now();
    await Promise.all(
      work.map(async (batches) => {
        for (const batch of batches) await write(batch);
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const rate = (BATCHES * BATCH_SIZE) / seconds;
    console.log(`${label.padEnd(36)} ${Math.round(rate).toLocaleString("en-US").padStart(10)} events/s`);
    return rate;
  };

  const floorInsert = (batch: NewEvent[]) => {
    const params: unknown[] = [];
    const rows = batch.map((e) => {
      const materialization = e.type === "ASSET_MATERIALIZATION" ? e.data : null;
      params.push(
        e.runId,
        e.type,
        e.stepKey,
        e.level,
        new Date(e.timestamp),
        e.message,
        JSON.stringify(e.data),
        materialization?.assetKey ?? null,
        materialization?.partitionKey ?? null,
      );
      const n = params.length - 9;
      return `(${Array.from({ length: 9 }, (_, i) => `$${n + i + 1}`).join(", ")})`;
    });
    return pool.query(
      `INSERT INTO floor_events (run_id, type, step_key, level, timestamp, message, data, asset_key, partition_key) VALUES ${rows.join(", ")}`,
      params,
    );
  };

  console.log(
    `${BATCHES} batches of ${BATCH_SIZE} events, ${WRITERS} concurrent writers (runs), durable PostgreSQL settings`,
  );
  // Warm up both paths, then alternate to even out noise.
  await measure("warm-up floor", floorInsert, 0);
  await measure("warm-up appendEvents", (b) => storage.events.appendEvents(b), 0);
  // One buffered writer per run, as a run worker has: each batch is pushed and flushed, so the batches
  // (and transactions) are the same as the direct path's; the difference is the buffer and the batch key.
  const buffered = new Map(
    runIds.map((runId) => [
      runId,
      new BufferedStorageWriter<NewEvent>({
        write: (batch, batchKey) => storage.events.appendEvents(batch, { batchKey }).then(() => undefined),
        outage: { toleranceMs: 120_000 },
        maxBatch: BATCH_SIZE,
      }),
    ]),
  );
  const bufferedWrite = async (batch: NewEvent[]) => {
    const writer = buffered.get(batch[0]!.runId)!;
    for (const event of batch) writer.push(event);
    await writer.flush();
  };
  await measure("warm-up buffered", bufferedWrite, 0);
  const floor: number[] = [];
  const ours: number[] = [];
  const throughBuffer: number[] = [];
  for (let round = 1; round <= 3; round++) {
    floor.push(await measure(`floor: multi-row INSERT (round ${round})`, floorInsert, round));
    ours.push(await measure(`appendEvents (round ${round})`, (b) => storage.events.appendEvents(b), round));
    throughBuffer.push(await measure(`buffered + batch keys (round ${round})`, bufferedWrite, round));
  }
  console.log(`median floor        ${Math.round(median(floor)).toLocaleString("en-US")} events/s`);
  console.log(`median appendEvents ${Math.round(median(ours)).toLocaleString("en-US")} events/s`);
  console.log(`median buffered     ${Math.round(median(throughBuffer)).toLocaleString("en-US")} events/s`);
  console.log(`ratio appendEvents / floor: ${(median(ours) / median(floor)).toFixed(2)} (goal >= 0.50)`);
  console.log(
    `ratio buffered / appendEvents: ${(median(throughBuffer) / median(ours)).toFixed(2)} (goal >= 0.90)`,
  );
  await storage.close();
} finally {
  await scratchDb.close();
}

function makeBatch(runId: string, b: number, round: number): NewEvent[] {
  const now = Date.now();
  const step = `step_${round}_${b}`;
  const events: NewEvent[] = [
    {
      runId,
      type: "STEP_START",
      stepKey: step,
      level: "debug",
      message: `Started ${step}`,
      timestamp: now,
      data: { attempt: 1, pid: 1234 },
    },
  ];
  while (events.length < BATCH_SIZE - 3) {
    const i = events.length;
    events.push({
      runId,
      type: "LOG_MESSAGE",
      stepKey: step,
      level: "info",
      message: `processed chunk ${i} of ${step}: ${"x".repeat(60)}`,
      timestamp: now + i,
      data: { fields: { chunk: i, rows: 1000 + i, table: "orders" } },
    });
  }
  events.push(
    {
      runId,
      type: "ASSET_MATERIALIZATION",
      stepKey: step,
      level: "info",
      message: `Materialized orders/${b % 10}`,
      timestamp: now + BATCH_SIZE,
      data: {
        assetKey: `orders/${b % 10}`,
        partitionKey: `2024-01-${String((b % 28) + 1).padStart(2, "0")}`,
        metadata: { rows: { type: "int", value: 1000 } },
      },
    },
    {
      runId,
      type: "STEP_OUTPUT",
      stepKey: step,
      level: "debug",
      message: "output result",
      timestamp: now,
      data: { outputName: "result" },
    },
    {
      runId,
      type: "STEP_SUCCESS",
      stepKey: step,
      level: "debug",
      message: `Finished ${step}`,
      timestamp: now,
      data: { durationMs: 12 },
    },
  );
  return events;
}
