import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTestStorage, FIXTURES, startBosun, type TestStorage } from "@bosun/test-support";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { waitFor, waitForStatus } from "./daemon-harness.ts";

/**
 * A run worker killed with -9 under `bosun daemon run` processes. The run monitor's full poll is left at
 * its default (30 s), so a run that fails within the bounds below was noticed by the path each test
 * names: the launcher seeing its child exit, or the worker's heartbeats. Exact timings are measured by
 * bench/worker-death-detection.ts, not asserted here.
 */
const FIXTURE = FIXTURES.daemon;
const LOCATION = "daemon-location";

let db: TestStorage;
let home: string;
beforeAll(async () => {
  db = await createTestStorage();
  home = await mkdtemp(path.join(tmpdir(), "bosun-worker-death-"));
});
afterAll(async () => {
  await db?.drop();
  if (home) await rm(home, { recursive: true, force: true });
});

const running: ReturnType<typeof startBosun>[] = [];
afterEach(async () => {
  for (const daemon of running.splice(0)) {
    if (daemon.child.exitCode === null && daemon.child.signalCode === null) daemon.child.kill("SIGTERM");
    const timer = setTimeout(() => daemon.child.kill("SIGKILL"), 20_000);
    await daemon.done;
    clearTimeout(timer);
  }
});

async function startDaemon(runMonitoring: string): Promise<ReturnType<typeof startBosun>> {
  await writeFile(
    path.join(home, "bosun.yaml"),
    `run_monitoring:\n${runMonitoring}scheduler:\n  enabled: false\nsensors:\n  enabled: false\n`,
  );
  const daemon = startBosun(["daemon", "run", "-f", FIXTURE], {
    BOSUN_HOME: home,
    BOSUN_DATABASE_URL: db.databaseUrl,
  });
  running.push(daemon);
  return daemon;
}

async function startedSlowRun(): Promise<{ runId: string; pid: number }> {
  const runId = randomUUID();
  await db.storage.runs.createRun({ runId, jobName: "slow_job", status: "QUEUED", codeLocation: LOCATION });
  const run = await waitForStatus(db.storage, runId, ["STARTED"], 90_000);
  // The step is running, so the worker is in the middle of the run when it dies.
  await waitFor(async () => (await db.storage.events.getEvents(runId, { types: ["STEP_START"] })).length > 0);
  return { runId, pid: run.launcherInfo.pid as number };
}

async function failureReason(runId: string): Promise<string | undefined> {
  const [failure] = await db.storage.events.getEvents(runId, { types: ["RUN_FAILURE"] });
  return (failure?.data as { reason?: string } | undefined)?.reason;
}

describe("a run worker killed with -9", () => {
  it("fails its run as soon as the daemon that launched it sees the process exit", async () => {
    // Heartbeats would take 60 s here: only the process exit can end the run within the bound below.
    await startDaemon("  worker_heartbeat_timeout_seconds: 60\n");
    const { runId, pid } = await startedSlowRun();
    const killedAt = Date.now();
    process.kill(pid, "SIGKILL");
    const run = await waitForStatus(db.storage, runId, ["FAILURE"], 15_000);
    expect(run.endTime!.getTime() - killedAt).toBeLessThan(15_000);
    expect(await failureReason(runId)).toBe(
      `the run worker failed: run worker process ${pid} was killed by SIGKILL before the run ended`,
    );
  }, 180_000);

  it("fails its run through its heartbeats when the daemon that launched it died too", async () => {
    const first = await startDaemon(
      "  worker_heartbeat_interval_seconds: 1\n  worker_heartbeat_timeout_seconds: 4\n",
    );
    const { runId, pid } = await startedSlowRun();
    process.kill(first.child.pid!, "SIGKILL");
    await first.done;
    const second = await startDaemon(
      "  worker_heartbeat_interval_seconds: 1\n  worker_heartbeat_timeout_seconds: 4\n",
    );
    // The new daemon's first full poll is done (its run monitor wrote its first heartbeat after it): its
    // next one is 30 s away.
    const secondId = `:${second.child.pid}:`;
    await waitFor(
      async () =>
        (await db.storage.heartbeats.listHeartbeats()).some(
          (beat) => beat.daemonType === "RUN_MONITOR" && beat.daemonId.includes(secondId),
        ),
      { timeoutMs: 90_000, what: "the second daemon's run monitor" },
    );
    expect(second.child.exitCode).toBeNull();
    expect((await db.storage.runs.getRun(runId))?.status).toBe("STARTED");
    process.kill(pid, "SIGKILL");
    await waitForStatus(db.storage, runId, ["FAILURE"], 15_000);
    expect(await failureReason(runId)).toMatch(
      /^the run worker stopped sending heartbeats \(last heartbeat \d+ s ago; run_monitoring.worker_heartbeat_timeout_seconds is 4 s\)$/,
    );
  }, 240_000);
});

describe("a run worker whose op keeps its main thread busy", () => {
  it("keeps beating from its heartbeat thread: the run ends SUCCESS, not failed by the run monitor", async () => {
    // The op blocks for three times this timeout; heartbeats from the main thread would stop for all of it.
    await startDaemon("  worker_heartbeat_interval_seconds: 1\n  worker_heartbeat_timeout_seconds: 3\n");
    const runId = randomUUID();
    await db.storage.runs.createRun({
      runId,
      jobName: "blocking_job",
      status: "QUEUED",
      codeLocation: LOCATION,
    });
    const run = await waitForStatus(db.storage, runId, ["SUCCESS", "FAILURE", "CANCELED"], 120_000);
    expect(await failureReason(runId)).toBeUndefined();
    expect(run.status).toBe("SUCCESS");
    const [started] = await db.storage.events.getEvents(runId, { types: ["STEP_START"] });
    const [succeeded] = await db.storage.events.getEvents(runId, { types: ["STEP_SUCCESS"] });
    // The op did block (for 9 s, BLOCKING_OP_MS of the fixture), with the run monitor watching.
    expect(succeeded!.timestamp - started!.timestamp).toBeGreaterThanOrEqual(9_000);
  }, 180_000);
});
