import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startWorkspace, type WorkspaceManager } from "@bosun/code-server";
import { DefaultRunLauncher, RunNotTerminableError, terminateRun } from "@bosun/runs";
import { BOSUN_COMMAND, createTestStorage, FIXTURES, type TestStorage } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DaemonHandle, startDaemon } from "../src/start-daemon.ts";
import { memoryLog, settings, waitFor, waitForStatus } from "./daemon-harness.ts";

/**
 * The daemon with real processes: a code server for the location, `bosun api execute-run` workers
 * started by DefaultRunLauncher, and the run monitor watching them.
 */
const FIXTURE = FIXTURES.daemon;

let db: TestStorage;
let home: string;
let workspace: WorkspaceManager;
let childEnv: Record<string, string>;
const daemons: DaemonHandle[] = [];
const launchers: DefaultRunLauncher[] = [];

beforeAll(async () => {
  db = await createTestStorage();
  home = await mkdtemp(path.join(tmpdir(), "bosun-daemon-e2e-"));
  childEnv = { BOSUN_DATABASE_URL: db.databaseUrl, BOSUN_HOME: home };
  workspace = await startWorkspace(
    { file: FIXTURE, locationName: "daemon_location" },
    { bosunCommand: BOSUN_COMMAND, env: childEnv, log: () => {} },
  );
  expect(workspace.get("daemon_location")?.status).toBe("LOADED");
}, 90_000);

afterAll(async () => {
  for (const daemon of daemons) await daemon.stop();
  // Stops each launcher's spare worker.
  for (const launcher of launchers) await launcher.close();
  // Every worker a test started has ended (each test waits for its run's end); the code server goes now.
  await workspace?.close();
  await db?.drop();
  if (home) await rm(home, { recursive: true, force: true });
});

async function daemon() {
  const launcher = new DefaultRunLauncher({ childEnv, command: BOSUN_COMMAND });
  launchers.push(launcher);
  const handle = await startDaemon({
    instance: {
      storage: db.storage,
      daemon: settings({
        run_coordinator: { dequeue_interval_seconds: 30 },
        run_monitoring: { poll_interval_seconds: 0.2, start_timeout_seconds: 60 },
      }),
    },
    workspace,
    launcher,
    loops: ["RUN_QUEUE", "RUN_MONITOR"],
    log: memoryLog(),
  });
  daemons.push(handle);
  return { handle, launcher };
}

/** Queues a run as the API does; `tags` stand for the job's tags, which the API copies onto the run. */
async function queue(jobName: string, tags: Record<string, string> = {}): Promise<string> {
  const runId = randomUUID();
  await db.storage.runs.createRun({
    runId,
    jobName,
    status: "QUEUED",
    codeLocation: "daemon_location",
    tags,
  });
  return runId;
}

async function reason(runId: string): Promise<string> {
  const [failure] = await db.storage.events.getEvents(runId, { types: ["RUN_FAILURE"] });
  return (failure?.data as { reason?: string } | undefined)?.reason ?? "(no RUN_FAILURE event)";
}

/**
 * A run's log file once its worker has written its last line. The worker writes that line after it has
 * stored the run's end, so the file can lag the status the test waited for.
 */
function finishedLog(runId: string): Promise<string> {
  const file = path.join(home, "logs", "runs", `${runId}.log`);
  return waitFor(
    async () => {
      const text = await readFile(file, "utf8").catch(() => "");
      return text.includes(`run ${runId} ended`) ? text : null;
    },
    { what: `the last line of ${file}` },
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("DefaultRunLauncher with the daemon", () => {
  let current: Awaited<ReturnType<typeof daemon>>;
  beforeAll(async () => {
    current = await daemon();
  });

  it("runs a queued run in a local worker process to SUCCESS, recording pid, host and log file", async () => {
    const runId = await queue("quick_job");
    const run = await waitForStatus(db.storage, runId, ["SUCCESS", "FAILURE"], 60_000);
    expect(run.status).toBe("SUCCESS");
    const types = (await db.storage.events.getEvents(runId)).map((e) => e.type);
    expect(types.slice(0, 3)).toEqual(["RUN_ENQUEUED", "RUN_STARTING", "RUN_START"]);
    expect(types.at(-1)).toBe("RUN_SUCCESS");
    expect(run.launcherInfo).toMatchObject({
      launcher: "default",
      pid: expect.any(Number),
      host: expect.any(String),
    });
    const [start] = await db.storage.events.getEvents(runId, { types: ["RUN_START"] });
    expect((start?.data as { pid?: number } | undefined)?.pid).toBe(run.launcherInfo.pid);
    expect(await finishedLog(runId)).toContain(`run ${runId} ended SUCCESS`);
    // The worker wrote its heartbeat while running.
    const stale = await db.storage.heartbeats.runsWithStaleHeartbeat(new Date(Date.now() + 60_000));
    expect(stale.some((s) => s.runId === runId)).toBe(false);
  });

  it("hands the next run to a spare worker that loaded the code ahead of time", async () => {
    const spare = await waitFor(() => current.launcher.spareWorkerPid, { what: "a spare worker" });
    const runId = await queue("quick_job");
    const run = await waitForStatus(db.storage, runId, ["SUCCESS", "FAILURE"], 60_000);
    expect(run.status).toBe("SUCCESS");
    expect(run.launcherInfo.pid).toBe(spare);
    expect(await finishedLog(runId)).toContain(`run ${runId} ended SUCCESS`);
  });

  it("ends a run FAILURE with a reason when its worker is killed with kill -9", async () => {
    const runId = await queue("slow_job");
    const started = await waitForStatus(db.storage, runId, ["STARTED"], 60_000);
    const pid = started.launcherInfo.pid as number;
    process.kill(pid, "SIGKILL");
    const run = await waitForStatus(db.storage, runId, ["FAILURE"], 20_000);
    expect(run.status).toBe("FAILURE");
    expect(await reason(runId)).toBe(
      `the run worker failed: run worker process ${pid} was killed by SIGKILL before the run ended`,
    );
  });

  it("gives the last lines of a crashed worker's own output in the run's failure reason", async () => {
    const runId = await queue("crashing_job");
    const run = await waitForStatus(db.storage, runId, ["FAILURE", "SUCCESS"], 60_000);
    const logFile = path.join(home, "logs", "runs", `${runId}.log`);
    expect({ status: run.status, reason: await reason(runId) }).toEqual({
      status: "FAILURE",
      reason: `the run worker failed: run worker process ${run.launcherInfo.pid} exited with code 3 before the run ended; its last output (${logFile}):\nabout to crash: out of widgets`,
    });
  });

  it("finds a killed worker it did not start itself (after a daemon restart) by its pid", async () => {
    const runId = await queue("slow_job");
    const started = await waitForStatus(db.storage, runId, ["STARTED"], 60_000);
    const pid = started.launcherInfo.pid as number;
    // A new daemon and launcher take over; the old one stops (its worker keeps running).
    for (const handle of daemons.splice(0)) await handle.stop();
    await current.launcher.close();
    current = await daemon();
    expect(isAlive(pid)).toBe(true);
    process.kill(pid, "SIGKILL");
    await waitForStatus(db.storage, runId, ["FAILURE"], 20_000);
    expect(await reason(runId)).toBe(`the run worker is gone: run worker process ${pid} is not running`);
  });

  it("terminates a running run: SIGTERM to its worker, which ends it CANCELED", async () => {
    const runId = await queue("slow_job");
    const started = await waitForStatus(db.storage, runId, ["STARTED"], 60_000);
    // The step has begun (its STEP_START is stored) before the worker is asked to stop.
    await waitFor(
      async () => (await db.storage.events.getEvents(runId, { types: ["STEP_START"] })).length > 0,
    );
    expect(await terminateRun(db.storage, current.launcher, runId)).toEqual({ status: "CANCELING" });
    const run = await waitForStatus(db.storage, runId, ["CANCELED", "FAILURE"], 30_000);
    expect(run.status).toBe("CANCELED");
    const types = (await db.storage.events.getEvents(runId)).map((e) => e.type);
    expect(types).toContain("RUN_CANCELING");
    expect(types.at(-1)).toBe("RUN_CANCELED");
    await waitFor(() => !isAlive(started.launcherInfo.pid as number), { what: "the worker to exit" });
    await expect(terminateRun(db.storage, current.launcher, runId)).rejects.toBeInstanceOf(
      RunNotTerminableError,
    );
  });

  it("retries a failed run tagged bosun/max_retries as a new run linked to it", async () => {
    const runId = await queue("flaky_job", { "bosun/max_retries": "1" });
    await waitForStatus(db.storage, runId, ["FAILURE"], 60_000);
    const retry = await waitFor(
      async () => (await db.storage.runQueue.getRunByIdempotencyKey(`retry/${runId}`)) ?? null,
    );
    expect(retry).toMatchObject({ parentRunId: runId, tags: { "bosun/retry_number": "1" } });
    const ended = await waitForStatus(db.storage, retry.runId, ["FAILURE"], 60_000);
    expect(ended.status).toBe("FAILURE");
    // max_retries is 1: the retry's failure is not retried.
    await current.handle.runOnce("RUN_MONITOR");
    expect(await db.storage.runQueue.getRunByIdempotencyKey(`retry/${retry.runId}`)).toBeNull();
  });
});
