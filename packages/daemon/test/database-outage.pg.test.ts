import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type DedicatedPostgres, FIXTURES, startBosun, startDedicatedPostgres } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForStatus } from "./daemon-harness.ts";

/**
 * PostgreSQL restarts under a `bosun daemon run` process that is running one run (a worker it launched)
 * and holding another in its queue. The daemon's loops skip their passes while the database is away;
 * the run monitor does not count the outage against the worker's heartbeats (the outage is longer than
 * the heartbeat timeout); the running run and the queued one both end SUCCESS, complete, and the daemon
 * stops cleanly afterwards.
 */

let pg: DedicatedPostgres;
let home: string;
beforeAll(async () => {
  pg = await startDedicatedPostgres();
  home = await mkdtemp(path.join(tmpdir(), "bosun-daemon-outage-"));
});
afterAll(async () => {
  await pg?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tickConfig = (ticks: number) => ({ ops: { tick: { config: { ticks, interval_ms: 250 } } } });

describe("bosun daemon run through a database outage", () => {
  it("keeps its running and queued runs: both end SUCCESS with every tick stored once, in order", async () => {
    await writeFile(
      path.join(home, "bosun.yaml"),
      [
        "run_coordinator:\n  max_concurrent_runs: 1\n  dequeue_interval_seconds: 1",
        "run_monitoring:\n  poll_interval_seconds: 1\n  worker_heartbeat_interval_seconds: 3\n  worker_heartbeat_timeout_seconds: 7",
        "sensors:\n  enabled: false",
        "",
      ].join("\n"),
    );
    const { child, done } = startBosun(["daemon", "run", "-f", FIXTURES.outage], {
      BOSUN_HOME: home,
      BOSUN_DATABASE_URL: pg.databaseUrl,
    });
    const running = randomUUID();
    const queued = randomUUID();
    try {
      for (const [runId, ticks] of [
        [running, 40],
        [queued, 4],
      ] as const)
        await pg.storage.runs.createRun({
          runId,
          jobName: "tick_in_process",
          status: "QUEUED",
          codeLocation: "outage-location",
          runConfig: tickConfig(ticks),
        });
      await waitForStatus(pg.storage, running, ["STARTED"], 60_000);
      await sleep(2_000);
      expect((await pg.storage.runs.getRun(queued))?.status).toBe("QUEUED");
      await pg.stop();
      await sleep(10_000);
      await pg.start();
      for (const runId of [running, queued]) {
        const run = await waitForStatus(pg.storage, runId, ["SUCCESS", "FAILURE", "CANCELED"], 60_000);
        const failure = await pg.storage.events.getEvents(runId, { types: ["RUN_FAILURE"] });
        expect(run.status, failure[0]?.message).toBe("SUCCESS");
      }
      for (const [runId, ticks] of [
        [running, 40],
        [queued, 4],
      ] as const) {
        const events = await pg.storage.events.getEvents(runId);
        expect(events.filter((e) => e.message.startsWith("tick event")).map((e) => e.message)).toEqual(
          Array.from({ length: ticks }, (_, i) => `tick event ${String(i).padStart(4, "0")}`),
        );
        expect(events.filter((e) => e.type === "RUN_SUCCESS")).toHaveLength(1);
      }
    } finally {
      child.kill("SIGTERM");
    }
    const result = await done;
    expect(result.code, result.stderr).toBe(0);
  }, 120_000);
});
