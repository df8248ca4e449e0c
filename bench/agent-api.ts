/**
 * Hybrid mode's two hot paths, on one control plane (webserver with auth on + PostgreSQL) in one run:
 *
 * 1. Run workers reporting events over HTTP (`POST /api/run/v1/runs/:runId/events` with a run token and
 *    a batch id) beside the same batches written straight to PostgreSQL (`appendEvents` with a batch
 *    key, what a worker with database credentials does). Goal: HTTP reaches at least 0.5× direct.
 * 2. Long-poll hand-out latency: an agent waits in a poll; a request is enqueued; the time from the
 *    enqueue call to the agent holding the answer. Goal: p95 under 100 ms.
 *
 *   npx tsx bench/agent-api.ts [--batches 400] [--batch-size 50] [--writers 4] [--polls 100]
 *
 * Uses BOSUN_TEST_DATABASE_URL's server when set, else a throwaway embedded PostgreSQL.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import type { NewEvent } from "@bosun/core";
import { AUTH_DISABLED } from "@bosun/instance";
import { PostgresStorage } from "@bosun/storage";
import { StandInAgent } from "@bosun/test-support";
import { startWebserver } from "@bosun/webserver";
import { median, openScratchDatabase, percentile } from "./bench-support.ts";
import { emptyWorkspace } from "./http-load.ts";

const { values } = parseArgs({
  options: {
    batches: { type: "string", default: "400" },
    "batch-size": { type: "string", default: "50" },
    writers: { type: "string", default: "4" },
    polls: { type: "string", default: "100" },
  },
});
const BATCHES = Number(values.batches);
const BATCH_SIZE = Number(values["batch-size"]);
const WRITERS = Number(values.writers);
const POLLS = Number(values.polls);

const scratchDb = await openScratchDatabase("agentapi", "durable");
try {
  const storage = await PostgresStorage.open({ connectionString: scratchDb.url, poolSize: WRITERS * 2 + 4 });
  const server = await startWebserver({
    storage,
    workspace: emptyWorkspace,
    port: 0,
    uiDirectory: null,
    auth: { ...AUTH_DISABLED, enabled: true },
  });
  try {
    await eventThroughput(storage, server.url);
    await longPollLatency(storage, server.url);
  } finally {
    await server.close();
    await storage.close();
  }
} finally {
  await scratchDb.close();
}

async function eventThroughput(storage: PostgresStorage, url: string): Promise<void> {
  const runs = await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      const runId = `bench-${randomUUID()}`;
      await storage.runs.createRun({ runId, jobName: "bench_job", status: "STARTED" });
      const { secret } = await storage.auth.createToken({
        name: `run-${runId}`,
        kind: "run",
        role: "viewer",
        runId,
        expiresAt: new Date(Date.now() + 3_600_000),
      });
      return { runId, token: secret };
    }),
  );
  const measure = async (
    label: string,
    write: (run: (typeof runs)[number], batch: NewEvent[]) => Promise<void>,
    round: number,
  ) => {
    const start = performance.now();
    await Promise.all(
      runs.map(async (run) => {
        for (let b = 0; b < BATCHES / WRITERS; b++) await write(run, makeBatch(run.runId, b, round));
      }),
    );
    const rate = (BATCHES * BATCH_SIZE) / ((performance.now() - start) / 1000);
    console.log(`${label.padEnd(40)} ${Math.round(rate).toLocaleString("en-US").padStart(10)} events/s`);
    return rate;
  };
  const direct = async (_run: (typeof runs)[number], batch: NewEvent[]) => {
    await storage.events.appendEvents(batch, { batchKey: randomUUID() });
  };
  const overHttp = async (run: (typeof runs)[number], batch: NewEvent[]) => {
    const response = await fetch(`${url}/api/run/v1/runs/${run.runId}/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${run.token}`, "content-type": "application/json" },
      body: JSON.stringify({
        batchId: randomUUID(),
        events: batch.map(({ runId: _runId, ...event }) => event),
      }),
    });
    if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  };
  console.log(
    `${BATCHES} batches of ${BATCH_SIZE} events, ${WRITERS} concurrent writers (runs), durable PostgreSQL`,
  );
  await measure("warm-up direct", direct, 0);
  await measure("warm-up HTTP", overHttp, 0);
  const directRates: number[] = [];
  const httpRates: number[] = [];
  for (let round = 1; round <= 3; round++) {
    directRates.push(await measure(`direct appendEvents (round ${round})`, direct, round));
    httpRates.push(await measure(`HTTP with run token (round ${round})`, overHttp, round));
  }
  console.log(`median direct ${Math.round(median(directRates)).toLocaleString("en-US")} events/s`);
  console.log(`median HTTP   ${Math.round(median(httpRates)).toLocaleString("en-US")} events/s`);
  console.log(`ratio HTTP / direct: ${(median(httpRates) / median(directRates)).toFixed(2)} (goal >= 0.50)`);
}

async function longPollLatency(storage: PostgresStorage, url: string): Promise<void> {
  const { secret } = await storage.auth.createToken({ name: "bench-agent", kind: "agent", role: "viewer" });
  const agent = new StandInAgent({
    baseUrl: url,
    token: secret,
    agentId: "bench-agent",
    deployments: ["bench"],
  });
  await agent.register();
  const latencies: number[] = [];
  const fromCall: number[] = [];
  for (let i = 0; i < POLLS; i++) {
    let answered = 0;
    const polling = agent.take({ waitMs: 10_000 }).then((requests) => {
      answered = performance.now();
      return requests;
    });
    // Let the poll reach its wait (it has looked once and is listening) before the work appears.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const called = performance.now();
    await storage.agents.enqueueRequest(
      { deployment: "bench", queue: "default", type: "terminate_run", payload: { runId: `r-${i}` } },
      new Date(),
    );
    const committed = performance.now();
    const [taken] = await polling;
    // A request exists once its transaction commits; before that no agent may see it.
    latencies.push(answered - committed);
    fromCall.push(answered - called);
    if (!taken) throw new Error("the poll answered empty");
    await agent.complete(taken.id, "completed");
  }
  const line = (label: string, values: number[]) =>
    console.log(
      `${label}: p50 ${percentile(values, 50).toFixed(1)} ms, p95 ${percentile(values, 95).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms`,
    );
  line(`long-poll hand-out, commit to agent holding it (${POLLS} requests, goal p95 < 100 ms)`, latencies);
  line("  the same from the enqueue call (its own commit included)", fromCall);
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
  while (events.length < BATCH_SIZE - 1) {
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
  events.push({
    runId,
    type: "STEP_SUCCESS",
    stepKey: step,
    level: "debug",
    message: `Finished ${step}`,
    timestamp: now,
    data: { durationMs: 12 },
  });
  return events;
}
