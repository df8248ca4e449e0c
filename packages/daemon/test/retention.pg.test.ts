import { randomUUID } from "node:crypto";
import type { NewEvent } from "@bosun/core";
import { loadDefinitions } from "@bosun/engine";
import { inProcessLocation, RunRequests } from "@bosun/runs";
import type { BosunStorage, TickStatus } from "@bosun/storage";
import { RunNotFoundError } from "@bosun/storage";
import { FIXTURES } from "@bosun/test-support";
import { describe, expect, it } from "vitest";
import { HEARTBEAT_EVERY_MS } from "../src/loop-runner.ts";
import { ManualClock } from "../src/manual-clock.ts";
import { type DaemonHandle, startDaemon } from "../src/start-daemon.ts";
import { memoryLog, settings, waitFor } from "./daemon-harness.ts";
import { FakeWorkspace } from "./fake-workspace.ts";
import { loopTestbed } from "./loop-testbed.ts";
import { SimulatedLauncher } from "./simulated-launcher.ts";

const DAY = 86_400_000;
const FIXTURE = FIXTURES.computeLogs;

const { database, onCleanup, startLoop } = loopTestbed();

/** A daemon running only the RETENTION loop, after its first pass (the one it makes on start). */
async function retentionDaemon(
  storage: BosunStorage,
  clock: ManualClock,
  retention: Record<string, unknown>,
): Promise<{ daemon: DaemonHandle; log: ReturnType<typeof memoryLog> }> {
  const log = memoryLog();
  const daemon = await startLoop("RETENTION", { storage, clock, daemon: { retention }, log });
  await waitFor(() => daemon.passCount("RETENTION") >= 1, { what: "the first retention pass" });
  return { daemon, log };
}

async function tick(
  storage: BosunStorage,
  kind: "schedule" | "sensor",
  name: string,
  at: number,
  status: TickStatus,
): Promise<void> {
  const claimed = await storage.instigators.claimTick({
    kind,
    location: "loc",
    name,
    tickKey: `t${at}`,
    timestamp: at,
  });
  if (status !== "STARTED") await storage.instigators.finishTick(claimed!.tickId, { status });
}

const tickKeys = async (storage: BosunStorage, kind: "schedule" | "sensor", name: string) =>
  (await storage.instigators.listTicks(kind, "loc", name, { limit: 100 })).map(
    (t) => `${t.status}@${t.timestamp}`,
  );

/** A run of chatter_in_process dated `at`; `end` finishes it with that status. */
async function runAt(
  storage: BosunStorage,
  at: number,
  end: "RUN_SUCCESS" | "RUN_FAILURE" | null,
  materializes?: string,
): Promise<string> {
  const runId = randomUUID();
  await storage.runs.createRun({ runId, jobName: "chatter_in_process", status: "NOT_STARTED" });
  const event = (type: NewEvent["type"], data: object, stepKey: string | null = null) =>
    ({ runId, type, stepKey, level: "info", message: type, timestamp: at, data }) as NewEvent;
  await storage.events.appendEvents([
    event("RUN_START", {}),
    event("STEP_START", { attempt: 1, pid: 1 }, "chatter"),
    ...(materializes
      ? [
          event(
            "ASSET_MATERIALIZATION",
            { assetKey: materializes, partitionKey: null, metadata: {} },
            "chatter",
          ),
        ]
      : []),
    ...(end ? [event(end, end === "RUN_FAILURE" ? { reason: "steps failed" } : {})] : []),
  ]);
  await storage.computeLogs.append(runId, "chatter", "stdout", "hello\n");
  await storage.outputs.put(runId, "chatter", "result", Uint8Array.from([1]));
  return runId;
}

describe("retention loop", () => {
  it("deletes sensor ticks skipped more than 7 days ago by default and keeps schedule ticks and recent ones", async () => {
    const db = await database();
    const now = Date.now();
    const clock = new ManualClock(now);
    await tick(db.storage, "sensor", "files", now - 10 * DAY, "SKIPPED");
    await tick(db.storage, "sensor", "files", now - 9 * DAY, "SUCCESS");
    await tick(db.storage, "sensor", "files", now - 8 * DAY, "SKIPPED");
    await tick(db.storage, "sensor", "files", now - 8 * DAY + 1, "FAILURE");
    await tick(db.storage, "sensor", "files", now - 6 * DAY, "SKIPPED");
    await tick(db.storage, "sensor", "files", now - DAY, "SKIPPED");
    await tick(db.storage, "schedule", "hourly", now - 400 * DAY, "SKIPPED");
    await tick(db.storage, "schedule", "hourly", now - 300 * DAY, "SUCCESS");
    await tick(db.storage, "schedule", "hourly", now - DAY, "SKIPPED");

    const { daemon, log } = await retentionDaemon(db.storage, clock, {});

    expect(await tickKeys(db.storage, "sensor", "files")).toEqual([
      `SKIPPED@${now - DAY}`,
      `SKIPPED@${now - 6 * DAY}`,
      `FAILURE@${now - 8 * DAY + 1}`,
      `SUCCESS@${now - 9 * DAY}`,
    ]);
    expect(await tickKeys(db.storage, "schedule", "hourly")).toHaveLength(3);
    expect(log.lines).toContain("info retention: deleted 2 SKIPPED sensor ticks older than 7 days");
    const beats = await db.storage.heartbeats.listHeartbeats();
    expect(beats).toEqual([
      expect.objectContaining({ daemonType: "RETENTION", daemonId: daemon.daemonId, errors: [] }),
    ]);

    // Time passes: the tick skipped 6 days ago is now older than 7 days.
    clock.advance(2 * DAY);
    await daemon.runOnce("RETENTION");
    expect(await tickKeys(db.storage, "sensor", "files")).toEqual([
      `SKIPPED@${now - DAY}`,
      `FAILURE@${now - 8 * DAY + 1}`,
      `SUCCESS@${now - 9 * DAY}`,
    ]);
  });

  it("deletes ticks by the configured ages, per status or for all statuses", async () => {
    const db = await database();
    const now = Date.now();
    await tick(db.storage, "schedule", "daily", now - 40 * DAY, "SUCCESS");
    await tick(db.storage, "schedule", "daily", now - 35 * DAY, "FAILURE");
    await tick(db.storage, "schedule", "daily", now - 20 * DAY, "SKIPPED");
    await tick(db.storage, "schedule", "daily", now - DAY, "SUCCESS");
    await tick(db.storage, "sensor", "files", now - 40 * DAY, "SUCCESS");
    await tick(db.storage, "sensor", "files", now - 40 * DAY + 1, "SKIPPED");
    await tick(db.storage, "sensor", "files", now - 40 * DAY + 2, "FAILURE");
    await tick(db.storage, "sensor", "files", now - DAY, "SKIPPED");
    await retentionDaemon(db.storage, new ManualClock(now), {
      schedule: { purge_after_days: 30 },
      sensor: { purge_after_days: { skipped: -1, success: 30 } },
    });
    expect(await tickKeys(db.storage, "schedule", "daily")).toEqual([
      `SUCCESS@${now - DAY}`,
      `SKIPPED@${now - 20 * DAY}`,
    ]);
    expect(await tickKeys(db.storage, "sensor", "files")).toEqual([
      `SKIPPED@${now - DAY}`,
      `FAILURE@${now - 40 * DAY + 2}`,
      `SKIPPED@${now - 40 * DAY + 1}`,
    ]);
  });

  it("deletes finished runs older than runs.purge_after_days with their events, logs and outputs, and keeps the rest", async () => {
    const db = await database();
    const now = Date.now();
    const clock = new ManualClock(now);
    const oldSuccess = await runAt(db.storage, now - 40 * DAY, "RUN_SUCCESS", "orders");
    const oldFailure = await runAt(db.storage, now - 31 * DAY, "RUN_FAILURE");
    const oldInProgress = await runAt(db.storage, now - 40 * DAY, null);
    const recentSuccess = await runAt(db.storage, now - 29 * DAY, "RUN_SUCCESS", "orders");
    const queued = randomUUID();
    await db.storage.runs.createRun({ runId: queued, jobName: "chatter_in_process", status: "QUEUED" });
    expect((await db.storage.events.latestMaterializations(["orders"]))[0]?.runId).toBe(recentSuccess);

    const { daemon, log } = await retentionDaemon(db.storage, clock, { runs: { purge_after_days: 30 } });

    for (const runId of [oldSuccess, oldFailure]) {
      expect(await db.storage.runs.getRun(runId)).toBeNull();
      expect(await db.storage.events.getEvents(runId)).toEqual([]);
      expect(await db.storage.computeLogs.stepKeysWithLogs(runId)).toEqual([]);
      expect(await db.storage.outputs.get(runId, "chatter", "result")).toBeNull();
    }
    for (const runId of [oldInProgress, recentSuccess]) {
      expect(await db.storage.runs.getRun(runId)).not.toBeNull();
      expect(await db.storage.computeLogs.stepKeysWithLogs(runId)).toEqual(["chatter"]);
      expect(await db.storage.outputs.get(runId, "chatter", "result")).toEqual(Uint8Array.from([1]));
    }
    expect((await db.storage.runs.getRun(queued))?.status).toBe("QUEUED");
    expect(log.lines).toContain("info retention: deleted 2 finished runs that ended more than 30 days ago");
    expect((await db.storage.events.materializationHistory("orders")).map((m) => m.runId)).toEqual([
      recentSuccess,
    ]);

    // Re-executing a purged run is refused as "no such run".
    const definitions = await loadDefinitions({ file: FIXTURE });
    const requests = new RunRequests({
      storage: db.storage,
      locations: inProcessLocation(definitions, { file: FIXTURE }),
    });
    await expect(
      requests.reexecute({ parentRunId: oldSuccess, mode: "all", status: "QUEUED" }),
    ).rejects.toThrow(new RunNotFoundError(oldSuccess));

    // Two days on, the run that ended 29 days ago is old enough; the run in progress never is.
    clock.advance(2 * DAY);
    await daemon.runOnce("RETENTION");
    expect(await db.storage.runs.getRun(recentSuccess)).toBeNull();
    expect(await db.storage.runs.getRun(oldInProgress)).not.toBeNull();
    expect(await db.storage.events.latestMaterializations(["orders"])).toEqual([]);
  });

  it("deletes audit log entries older than a year by default, by audit.purge_after_days when set, and keeps them with -1", async () => {
    const db = await database();
    const now = Date.now();
    const clock = new ManualClock(now);
    const record = (actor: string, ageDays: number) =>
      db.storage.auth.appendAudit({
        at: new Date(now - ageDays * DAY),
        actor,
        actorKind: "user",
        action: "POST /api/runs",
        permission: "runs.launch",
        object: null,
        address: null,
        decision: "allowed",
        statusCode: 201,
        reason: null,
      });
    const actors = async () =>
      (await db.storage.auth.listAudit({ limit: 100 })).map((entry) => entry.actor).sort();
    await record("two-years", 730);
    await record("a-year-and-a-day", 366);
    await record("half-a-year", 180);
    await record("yesterday", 1);

    const { daemon, log } = await retentionDaemon(db.storage, clock, {});
    expect(await actors()).toEqual(["half-a-year", "yesterday"]);
    expect(log.lines).toContain("info retention: deleted 2 audit log entries older than 365 days");

    // A day later, with a 30-day setting, only yesterday's entry (now two days old) is left.
    clock.advance(DAY);
    await daemon.stop();
    const shorter = await retentionDaemon(db.storage, clock, { audit: { purge_after_days: 30 } });
    expect(await actors()).toEqual(["yesterday"]);
    await shorter.daemon.stop();

    await record("ten-years", 3650);
    await retentionDaemon(db.storage, clock, { audit: { purge_after_days: -1 } });
    expect(await actors()).toEqual(["ten-years", "yesterday"]);
  });

  it("keeps every run by default and does not run at all when retention.enabled is false", async () => {
    const db = await database();
    const now = Date.now();
    const ancient = await runAt(db.storage, now - 3650 * DAY, "RUN_SUCCESS");
    await retentionDaemon(db.storage, new ManualClock(now), {});
    expect(await db.storage.runs.getRun(ancient)).not.toBeNull();

    const disabled = await startDaemon({
      instance: { storage: db.storage, daemon: settings({ retention: { enabled: false } }) },
      workspace: new FakeWorkspace([]),
      launcher: new SimulatedLauncher(db.storage),
      clock: new ManualClock(now),
      log: memoryLog(),
    });
    onCleanup(() => disabled.stop());
    expect(disabled.loops).not.toContain("RETENTION");
    expect(disabled.loops).toContain("RUN_QUEUE");
  });

  it("writes a heartbeat at least every 20 s while it sleeps through its hour between passes", async () => {
    const db = await database();
    const clock = new ManualClock(Date.now());
    const { daemon } = await retentionDaemon(db.storage, clock, {});
    const heartbeatAt = async () =>
      (await db.storage.heartbeats.listHeartbeats())
        .filter((h) => h.daemonType === "RETENTION")
        .map((h) => h.timestamp.getTime())[0];
    const first = await heartbeatAt();
    for (let slice = 1; slice <= 3; slice++) {
      await waitFor(() => clock.sleeping > 0, { what: "the loop to sleep" });
      clock.advance(HEARTBEAT_EVERY_MS);
      await waitFor(async () => (await heartbeatAt()) === first! + slice * HEARTBEAT_EVERY_MS, {
        what: `heartbeat ${slice}`,
      });
    }
    expect(daemon.passCount("RETENTION")).toBe(1);
  });
});
