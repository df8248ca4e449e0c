/**
 * What a launcher reports as it happens (`RunLauncher.observe`) is stored by the daemon's run monitor at
 * once, and a run's end is written once, whether the launcher's report or the monitor's poll sees the
 * dead worker first.
 */
import { randomUUID } from "node:crypto";
import type { RunStatus } from "@bosun/core";
import type { RunEnding, RunObserver, UnfinishedRunStatus } from "@bosun/runs";
import { createTestStorage, type TestStorage } from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../src/manual-clock.ts";
import { startDaemon } from "../src/start-daemon.ts";
import { daemonsStoppedAfterAll, memoryLog, settings } from "./daemon-harness.ts";
import { FakeWorkspace } from "./fake-workspace.ts";
import { ReportingLauncher } from "./reporting-launcher.ts";

let db: TestStorage;
beforeAll(async () => {
  db = await createTestStorage();
});
afterAll(() => db?.drop());

const daemons = daemonsStoppedAfterAll();

/** A run monitor whose poll comes only when a test asks (the interval is an hour). */
async function monitor() {
  const launcher = new ReportingLauncher();
  const log = memoryLog();
  const daemon = await startDaemon({
    instance: {
      storage: db.storage,
      daemon: settings({ run_monitoring: { poll_interval_seconds: 3600, start_timeout_seconds: 600 } }),
    },
    workspace: new FakeWorkspace([{ name: "loc" }]),
    launcher,
    clock: new ManualClock(Date.now()),
    loops: ["RUN_MONITOR"],
    log,
  });
  daemons.push(daemon);
  await daemon.runOnce("RUN_MONITOR");
  return { daemon, launcher, observer: launcher.observer as RunObserver, log };
}

async function createRun(status: RunStatus): Promise<string> {
  const runId = randomUUID();
  await db.storage.runs.createRun({ runId, jobName: "fake_job", status, tags: {}, codeLocation: "loc" });
  await db.storage.runs.mergeLauncherInfo(runId, { launcher: "reporting" });
  return runId;
}

const POD_REPORT: RunEnding = {
  status: "FAILURE",
  reason:
    "the run pod cannot start: ImagePullBackOff: Back-off pulling image — pod bosun-run-x: phase Pending",
  report: {
    message: "Kubernetes: the run pod cannot start: ImagePullBackOff: Back-off pulling image",
    detail: { reason: "ImagePullBackOff", podPhase: "Pending" },
  },
};

describe("launcher reports", () => {
  it("gives the launcher an observer while the run monitor runs, and takes it back when it stops", async () => {
    const { daemon, launcher } = await monitor();
    expect(launcher.observer).not.toBeNull();
    await daemon.stop();
    expect(launcher.observer).toBeNull();
  });

  it("stores a warning as an ENGINE_EVENT and new launcher info at once, without waiting for a pass", async () => {
    const runId = await createRun("STARTED");
    const { observer } = await monitor();
    await observer.warning(runId, "Kubernetes warning: Pod bosun-run-x: FailedScheduling: 0/1 nodes", {
      reason: "FailedScheduling",
      count: 1,
    });
    await observer.launcherInfoChanged(runId, { pods: [{ name: "bosun-run-x", phase: "Pending" }] });
    const [warning] = await db.storage.events.getEvents(runId, { types: ["ENGINE_EVENT"] });
    expect(warning).toMatchObject({
      level: "warning",
      message: "Kubernetes warning: Pod bosun-run-x: FailedScheduling: 0/1 nodes",
      data: { detail: { reason: "FailedScheduling", count: 1 } },
    });
    expect((await db.storage.runs.getRun(runId))?.launcherInfo).toEqual({
      launcher: "reporting",
      pods: [{ name: "bosun-run-x", phase: "Pending" }],
    });
  });

  it("drops a warning about a run that ended, but still records its launcher info (the pods' final states)", async () => {
    const runId = await createRun("SUCCESS");
    const { observer } = await monitor();
    await observer.warning(runId, "Kubernetes warning: Pod bosun-run-x: BackOff", {});
    await observer.launcherInfoChanged(runId, { pods: [{ name: "bosun-run-x", phase: "Succeeded" }] });
    expect(await db.storage.events.getEvents(runId, { types: ["ENGINE_EVENT"] })).toEqual([]);
    expect((await db.storage.runs.getRun(runId))?.launcherInfo).toMatchObject({
      pods: [{ phase: "Succeeded" }],
    });
  });

  it("ends a run at once when the launcher reports its worker cannot run: the report, then RUN_FAILURE", async () => {
    const runId = await createRun("STARTED");
    const { observer, log } = await monitor();
    const asked: UnfinishedRunStatus[] = [];
    const ended = await observer.workerEnded(runId, async (status) => {
      asked.push(status);
      return POD_REPORT;
    });
    expect(ended).toBe(true);
    expect(asked).toEqual(["STARTED"]);
    expect((await db.storage.runs.getRun(runId))?.status).toBe("FAILURE");
    const events = await db.storage.events.getEvents(runId);
    expect(events.map((event) => [event.type, event.level, event.message])).toEqual([
      ["ENGINE_EVENT", "error", POD_REPORT.report!.message],
      ["RUN_FAILURE", "error", `Run failed: ${POD_REPORT.reason}`],
    ]);
    expect(events[0]!.data).toEqual({ detail: POD_REPORT.report!.detail });
    expect(events[1]!.data).toEqual({ reason: POD_REPORT.reason });
    expect(log.lines).toContain(`warning run ${runId}: ${POD_REPORT.reason}`);
  });

  it("asks the launcher how a run being canceled ends, and ends it CANCELED", async () => {
    const runId = await createRun("CANCELING");
    const { observer } = await monitor();
    const ended = await observer.workerEnded(runId, async (status) =>
      status === "CANCELING"
        ? { status: "CANCELED", reason: "the run Job was deleted before its worker finished canceling" }
        : POD_REPORT,
    );
    expect(ended).toBe(true);
    expect((await db.storage.runs.getRun(runId))?.status).toBe("CANCELED");
    const events = await db.storage.events.getEvents(runId);
    expect(events.map((event) => [event.type, event.data])).toEqual([
      ["RUN_CANCELED", { reason: "the run Job was deleted before its worker finished canceling" }],
    ]);
  });

  it("drops a report about a run that already ended, without asking the launcher to describe it", async () => {
    const runId = await createRun("SUCCESS");
    const { observer } = await monitor();
    let described = false;
    const ended = await observer.workerEnded(runId, async () => {
      described = true;
      return POD_REPORT;
    });
    expect(ended).toBe(false);
    expect(described).toBe(false);
    expect(await db.storage.events.getEvents(runId)).toEqual([]);
  });

  it("writes one end when the poll and the launcher's report see the same dead worker at once", async () => {
    const runIds = await Promise.all(Array.from({ length: 5 }, () => createRun("STARTED")));
    const { daemon, launcher, observer } = await monitor();
    for (const runId of runIds)
      launcher.health.set(runId, { status: "FAILED", message: "the run Job failed (BackoffLimitExceeded)" });
    // The report takes a while to describe (a pod's log is read) while the poll reaches the same runs.
    const reports = runIds.map((runId) =>
      observer.workerEnded(runId, async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return POD_REPORT;
      }),
    );
    await Promise.all([daemon.runOnce("RUN_MONITOR"), ...reports]);
    // And the launcher reports again (its Job's deletion) after the end was written.
    const again = await Promise.all(
      runIds.map((runId) => observer.workerEnded(runId, async () => POD_REPORT)),
    );
    expect(again).toEqual(runIds.map(() => false));
    for (const runId of runIds) {
      expect((await db.storage.runs.getRun(runId))?.status).toBe("FAILURE");
      const ends = await db.storage.events.getEvents(runId, { types: ["RUN_FAILURE", "RUN_CANCELED"] });
      expect(ends).toHaveLength(1);
    }
    // Each end was written once, by whichever saw the dead worker first.
    const wonByReport = (await Promise.all(reports)).filter(Boolean).length;
    const failures = await Promise.all(
      runIds.map(async (runId) => (await db.storage.events.getEvents(runId, { types: ["RUN_FAILURE"] }))[0]!),
    );
    expect(failures.filter((event) => event.message === `Run failed: ${POD_REPORT.reason}`)).toHaveLength(
      wonByReport,
    );
  });
});
