/**
 * Memory held by a run worker's event writer buffering through a database outage: a dedicated
 * PostgreSQL is stopped, events are emitted at a steady rate for the outage's length, then the server
 * is started again. Prints RSS, heap, the writer's in-memory bytes and spilled bytes every 10 s, how
 * long storing the backlog took once the server was back, and checks every event was stored once.
 *
 *   npx tsx bench/outage-buffering.ts [--seconds 60] [--rate 1000]
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { newEvent } from "@bosun/core";
import { EventWriter } from "@bosun/engine";
import { startDedicatedPostgres } from "@bosun/test-support";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "60" }, rate: { type: "string", default: "1000" } },
});
const SECONDS = Number(values.seconds);
const RATE = Number(values.rate);
const MiB = 1024 * 1024;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

const pg = await startDedicatedPostgres();
try {
  const runId = `bench-${randomUUID()}`;
  await pg.storage.runs.createRun({ runId, jobName: "bench_job", status: "STARTED" });
  const writer = new EventWriter(pg.storage.events, { outageToleranceMs: (SECONDS + 120) * 1000 });
  const report = (label: string) => {
    const usage = process.memoryUsage();
    const { events, memoryBytes, spilledBytes } = writer.buffered;
    console.log(
      `${label.padEnd(22)} rss ${mib(usage.rss).padStart(10)}  heap ${mib(usage.heapUsed).padStart(10)}  buffered ${String(events).padStart(7)} events  in memory ${mib(memoryBytes).padStart(9)}  spilled ${mib(spilledBytes).padStart(9)}`,
    );
  };
  global.gc?.();
  report("before the outage");
  await pg.stop();
  const started = performance.now();
  let emitted = 0;
  let nextReport = 10;
  // Emit in 10 ms slices to hold the rate steady.
  while (performance.now() - started < SECONDS * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * RATE);
    for (; emitted < due; emitted++)
      writer.emit(
        newEvent(runId, "LOG_MESSAGE", {
          stepKey: "ingest",
          message: `processed chunk ${emitted}: ${"x".repeat(60)}`,
          data: { fields: { chunk: emitted, rows: 1000 + emitted, table: "orders" } },
        }),
      );
    if ((performance.now() - started) / 1000 >= nextReport) {
      report(`outage, ${nextReport} s`);
      nextReport += 10;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await pg.start();
  const back = performance.now();
  await writer.flush();
  const drainSeconds = (performance.now() - back) / 1000;
  report("backlog stored");
  const stored = await pg.storage.events.getEvents(runId);
  const inOrder = stored.every((event, i) => event.message.startsWith(`processed chunk ${i}:`));
  console.log(
    `${emitted} events emitted in ${SECONDS} s at ${RATE}/s; ${stored.length} stored, ${inOrder ? "in order" : "OUT OF ORDER"}; backlog stored ${drainSeconds.toFixed(1)} s after the server was back`,
  );
} finally {
  await pg.close();
}
