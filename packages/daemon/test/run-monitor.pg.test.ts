import { randomUUID } from "node:crypto";
import type { RunStatus } from "@bosun/core";
import { newEvent } from "@bosun/core";
import { RunNotTerminableError, terminateRun } from "@bosun/runs";
import type { BosunStorage } from "@bosun/storage";
import { createTestStorage, type TestStorage } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../src/manual-clock.ts";
import { startDaemon } from "../src/start-daemon.ts";
import { daemonsStoppedAfterEach, memoryLog, settings } from "./daemon-harness.ts";
import { FakeWorkspace } from "./fake-workspace.ts";
import { SimulatedLauncher } from "./simulated-launcher.ts";

let db: TestStorage;
beforeAll(async () => {
  db = await createTestStorage();
});
afterAll(() => db?.drop());

const daemons = daemonsStoppedAfterEach();

/** A run monitor (no other loop) with a clock that starts at the database's "now". */
async function monitor(storage: BosunStorage = db.storage, monitoring: Record<string, unknown> = {}) {
  const clock = new ManualClock(Date.now());
  const daemon = await startDaemon({
    instance: {
      storage,
      daemon: settings({
        run_monitoring: {
          poll_interval_seconds: 3600,
          start_timeout_seconds: 60,
          cancel_timeout_seconds: 60,
          worker_heartbeat_interval_seconds: 10,
          worker_heartbeat_timeout_seconds: 30,
          ...monitoring,
        },
      }),
    },
    workspace: new FakeWorkspace([{ name: "loc" }]),
    launcher: new SimulatedLauncher(storage),
    clock,
    loops: ["RUN_MONITOR"],
    log: memoryLog(),
  });
  daemons.push(daemon);
  await daemon.runOnce("RUN_MONITOR");
  return { daemon, clock };
}

async function createRun(
  status: RunStatus,
  options: { tags?: Record<string, string>; launcherInfo?: Record<string, string>; started?: boolean } = {},
) {
  const runId = randomUUID();
  await db.storage.runs.createRun({
    runId,
    jobName: "fake_job",
    status,
    tags: options.tags ?? {},
    codeLocation: "loc",
  });
  if (options.launcherInfo) await db.storage.runs.mergeLauncherInfo(runId, options.launcherInfo);
  if (options.started)
    await db.storage.events.appendEvents([newEvent(runId, "RUN_START", { message: "RUN_START", data: {} })]);
  return runId;
}

/** `storage`, whose query for stale worker heartbeats first calls `before` (which may throw, as an outage would). */
function withStaleHeartbeatQuery(storage: BosunStorage, before: () => void): BosunStorage {
  const heartbeats = new Proxy(storage.heartbeats, {
    get(target, property, receiver) {
      if (property !== "runsWithStaleHeartbeat") return Reflect.get(target, property, receiver);
      return async (olderThan: Date) => {
        before();
        return target.runsWithStaleHeartbeat(olderThan);
      };
    },
  });
  return new Proxy(storage, {
    get: (target, property, receiver) =>
      property === "heartbeats" ? heartbeats : Reflect.get(target, property, receiver),
  });
}

async function failureReason(runId: string): Promise<string | undefined> {
  const [failure] = await db.storage.events.getEvents(runId, { types: ["RUN_FAILURE"] });
  return (failure?.data as { reason?: string } | undefined)?.reason;
}

describe("run monitor", () => {
  it("fails a run stuck in STARTING past start_timeout_seconds, with the reason", async () => {
    const runId = await createRun("STARTING");
    const { daemon, clock } = await monitor();
    expect((await db.storage.runs.getRun(runId))?.status).toBe("STARTING");
    clock.advance(61_000);
    await daemon.runOnce("RUN_MONITOR");
    expect((await db.storage.runs.getRun(runId))?.status).toBe("FAILURE");
    expect(await failureReason(runId)).toBe(
      "the run worker did not start within run_monitoring.start_timeout_seconds (60 s)",
    );
  });

  it("fails a run whose worker the launcher reports gone", async () => {
    const runId = await createRun("STARTED", { launcherInfo: { launcher: "simulated" }, started: true });
    const other = await createRun("STARTED", { launcherInfo: { launcher: "someone-else" }, started: true });
    await db.storage.heartbeats.writeRunHeartbeat(other, new Date());
    await monitor();
    expect((await db.storage.runs.getRun(runId))?.status).toBe("FAILURE");
    expect(await failureReason(runId)).toBe("the run worker is gone");
    // A run started by another launcher is left to its heartbeat.
    expect((await db.storage.runs.getRun(other))?.status).toBe("STARTED");
  });

  it("fails a started run whose worker stopped sending heartbeats", async () => {
    const beating = await createRun("STARTED", { started: true });
    const silent = await createRun("STARTED", { started: true });
    await db.storage.heartbeats.writeRunHeartbeat(beating, new Date());
    await db.storage.heartbeats.writeRunHeartbeat(silent, new Date());
    const { daemon, clock } = await monitor();
    clock.advance(20_000);
    await db.storage.heartbeats.writeRunHeartbeat(beating, new Date(clock.now()));
    clock.advance(20_000);
    await daemon.runOnce("RUN_MONITOR");
    expect((await db.storage.runs.getRun(beating))?.status).toBe("STARTED");
    expect((await db.storage.runs.getRun(silent))?.status).toBe("FAILURE");
    expect(await failureReason(silent)).toMatch(
      /^the run worker stopped sending heartbeats \(last heartbeat 40 s ago; run_monitoring.worker_heartbeat_timeout_seconds is 30 s\)$/,
    );
  });

  it("after failing to reach the database, gives workers a whole timeout to beat again before judging them", async () => {
    let databaseDown = false;
    const storage = withStaleHeartbeatQuery(db.storage, () => {
      if (databaseDown) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
    });
    const runId = await createRun("STARTED", { started: true });
    await db.storage.heartbeats.writeRunHeartbeat(runId, new Date());
    const { daemon, clock } = await monitor(storage);
    databaseDown = true;
    clock.advance(31_000);
    await daemon.runOnce("RUN_MONITOR");
    databaseDown = false;
    // The heartbeat is 31 s old, past the 30 s timeout, but the monitor has reached the database only now.
    await daemon.runOnce("RUN_MONITOR");
    expect((await db.storage.runs.getRun(runId))?.status).toBe("STARTED");
    clock.advance(30_000);
    await daemon.runOnce("RUN_MONITOR");
    expect((await db.storage.runs.getRun(runId))?.status).toBe("FAILURE");
    expect(await failureReason(runId)).toMatch(
      /^the run worker stopped sending heartbeats \(last heartbeat 61 s ago;/,
    );
  });

  it("ends a run stuck in CANCELING past cancel_timeout_seconds as CANCELED", async () => {
    const runId = await createRun("CANCELING");
    const { daemon, clock } = await monitor();
    clock.advance(61_000);
    await daemon.runOnce("RUN_MONITOR");
    const run = await db.storage.runs.getRun(runId);
    expect(run?.status).toBe("CANCELED");
    const [canceled] = await db.storage.events.getEvents(runId, { types: ["RUN_CANCELED"] });
    expect((canceled?.data as { reason?: string } | undefined)?.reason).toMatch(
      /cancel_timeout_seconds \(60 s\)/,
    );
  });

  it("retries a run tagged bosun/max_retries once per failure, with two monitors at once", async () => {
    const scope = randomUUID();
    const original = await createRun("STARTED", { tags: { scope, "bosun/max_retries": "2" }, started: true });
    await db.storage.events.appendEvents([
      newEvent(original, "RUN_FAILURE", { message: "RUN_FAILURE", data: { reason: "step failed" } }),
    ]);
    const first = await monitor();
    const second = await monitor(await db.openAnother());
    await Promise.all([first.daemon.runOnce("RUN_MONITOR"), second.daemon.runOnce("RUN_MONITOR")]);
    const retries = async () =>
      (await db.storage.runs.listRuns({ tags: { scope } }, { limit: 10 })).runs.filter(
        (r) => r.runId !== original,
      );
    const [retry] = await retries();
    expect(await retries()).toHaveLength(1);
    expect(retry).toMatchObject({
      status: "QUEUED",
      jobName: "fake_job",
      parentRunId: original,
      rootRunId: original,
      codeLocation: "loc",
      tags: { scope, "bosun/max_retries": "2", "bosun/retry_number": "1", "bosun/parent_run_id": original },
    });
    // The retry fails too: a second retry, numbered 2; when that fails, retries are exhausted.
    await db.storage.events.appendEvents([
      newEvent(retry!.runId, "RUN_FAILURE", { message: "RUN_FAILURE", data: { reason: "again" } }),
    ]);
    await Promise.all([first.daemon.runOnce("RUN_MONITOR"), second.daemon.runOnce("RUN_MONITOR")]);
    const afterSecond = await retries();
    expect(afterSecond).toHaveLength(2);
    const third = afterSecond.find((r) => r.runId !== retry!.runId)!;
    expect(third).toMatchObject({
      parentRunId: retry!.runId,
      rootRunId: original,
      tags: { "bosun/retry_number": "2" },
    });
    await db.storage.events.appendEvents([
      newEvent(third.runId, "RUN_FAILURE", { message: "RUN_FAILURE", data: { reason: "and again" } }),
    ]);
    await Promise.all([first.daemon.runOnce("RUN_MONITOR"), second.daemon.runOnce("RUN_MONITOR")]);
    expect(await retries()).toHaveLength(2);
  });

  it("writes its heartbeat with the errors of its last pass", async () => {
    const { daemon } = await monitor();
    const beats = (await db.storage.heartbeats.listHeartbeats()).filter(
      (h) => h.daemonId === daemon.daemonId,
    );
    expect(beats).toEqual([expect.objectContaining({ daemonType: "RUN_MONITOR", errors: [] })]);
  });
});

describe("terminateRun", () => {
  it("cancels a queued run at once, without the launcher", async () => {
    const runId = await createRun("QUEUED");
    const launcher = new SimulatedLauncher(db.storage);
    expect(await terminateRun(db.storage, launcher, runId, { reason: "not needed any more" })).toEqual({
      status: "CANCELED",
    });
    const events = await db.storage.events.getEvents(runId);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ["RUN_ENQUEUED", {}],
      ["RUN_CANCELED", { reason: "not needed any more" }],
    ]);
    expect(launcher.launched).toEqual([]);
  });

  it("marks a started run CANCELING, then CANCELED when the launcher finds no worker to stop", async () => {
    const runId = await createRun("STARTED", { launcherInfo: { launcher: "simulated" }, started: true });
    expect(await terminateRun(db.storage, new SimulatedLauncher(db.storage), runId)).toEqual({
      status: "CANCELED",
    });
    const types = (await db.storage.events.getEvents(runId)).map((e) => e.type);
    expect(types).toEqual(["RUN_START", "RUN_CANCELING", "RUN_CANCELED"]);
    expect((await db.storage.runs.getRun(runId))?.status).toBe("CANCELED");
  });

  it("refuses a run that already ended", async () => {
    const runId = await createRun("SUCCESS");
    await expect(terminateRun(db.storage, new SimulatedLauncher(db.storage), runId)).rejects.toThrow(
      new RunNotTerminableError(runId, "SUCCESS"),
    );
  });
});
