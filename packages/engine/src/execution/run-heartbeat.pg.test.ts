import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createTestStorage, type TestStorage, waitFor } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRunHeartbeat } from "./run-heartbeat.ts";

const NEVER_STOPPED = fileURLToPath(
  new URL("../../test/fixtures/heartbeat-never-stopped.ts", import.meta.url),
);
const INTERVAL_MS = 100;

let db: TestStorage;
beforeAll(async () => {
  db = await createTestStorage();
});
afterAll(() => db?.drop());

async function lastBeat(runId: string): Promise<Date | undefined> {
  const { rows } = await db.storage.pgPool.query<{ timestamp: Date }>(
    "SELECT timestamp FROM run_worker_heartbeats WHERE run_id = $1",
    [runId],
  );
  return rows[0]?.timestamp;
}

/** Connections of heartbeat threads to this test file's database. */
async function heartbeatConnections(): Promise<number> {
  const { rows } = await db.storage.pgPool.query<{ count: number }>(
    "SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'bosun-run-heartbeat'",
  );
  return rows[0]!.count;
}

function blockMainThread(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Synchronous work, as an op parsing a large document would do.
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("startRunHeartbeat", () => {
  it("keeps beating while the main thread is blocked by synchronous work", async () => {
    const runId = randomUUID();
    const heartbeat = startRunHeartbeat({ databaseUrl: db.databaseUrl, runId, intervalMs: INTERVAL_MS });
    try {
      await waitFor("the first heartbeat", () => lastBeat(runId), 30_000, 50);
      const blockedAt = Date.now();
      blockMainThread(2_000);
      const unblockedAt = Date.now();
      const beat = (await lastBeat(runId))!.getTime();
      // Written while this thread could not have written anything.
      expect(beat).toBeGreaterThan(blockedAt + 1_000);
      expect(beat).toBeLessThanOrEqual(unblockedAt);
    } finally {
      await heartbeat.stop();
    }
  });

  it("stops beating and closes its connection on stop()", async () => {
    const runId = randomUUID();
    const heartbeat = startRunHeartbeat({ databaseUrl: db.databaseUrl, runId, intervalMs: INTERVAL_MS });
    await waitFor("the first heartbeat", () => lastBeat(runId), 30_000, 50);
    expect(await heartbeatConnections()).toBe(1);
    await heartbeat.stop();
    const stoppedAt = await lastBeat(runId);
    await sleep(5 * INTERVAL_MS);
    expect(await lastBeat(runId)).toEqual(stoppedAt);
    await waitFor("the heartbeat connection to close", async () =>
      (await heartbeatConnections()) === 0 ? true : undefined,
    );
  });

  it("stops a thread that is still loading without waiting for it", async () => {
    const runId = randomUUID();
    const heartbeat = startRunHeartbeat({ databaseUrl: db.databaseUrl, runId, intervalMs: INTERVAL_MS });
    await heartbeat.stop();
    await sleep(5 * INTERVAL_MS);
    expect(await lastBeat(runId)).toBeUndefined();
  });

  it("does not keep the process alive, and its beats end with the process", async () => {
    const runId = randomUUID();
    const child = spawn(process.execPath, ["--import", "tsx", NEVER_STOPPED, db.databaseUrl, runId], {
      stdio: ["pipe", "ignore", "inherit"],
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      await waitFor("the child's first heartbeat", () => lastBeat(runId), 30_000, 50);
      child.stdin!.write("done\n");
      const code = await Promise.race([exited, sleep(10_000).then(() => "still running" as const)]);
      expect(code).toBe(0);
      const last = await lastBeat(runId);
      await sleep(5 * INTERVAL_MS);
      expect(await lastBeat(runId)).toEqual(last);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });

  it("writes nothing when heartbeats are off", async () => {
    const runId = randomUUID();
    const heartbeat = startRunHeartbeat({ databaseUrl: undefined, runId, intervalMs: 0 });
    await sleep(3 * INTERVAL_MS);
    await heartbeat.stop();
    expect(await lastBeat(runId)).toBeUndefined();
  });
});
