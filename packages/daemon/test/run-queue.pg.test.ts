import { createTestStorage, type TestStorage } from "@bosun/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../src/manual-clock.ts";
import { type DaemonHandle, startDaemon } from "../src/start-daemon.ts";
import { memoryLog, queueRun, settings, waitFor, waitForStatus } from "./daemon-harness.ts";
import { FakeWorkspace } from "./fake-workspace.ts";
import { SimulatedLauncher } from "./simulated-launcher.ts";

/** Each test gets its own database: admission reads the whole queue. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(
  runCoordinator: Record<string, unknown>,
  options: { runMs?: number; daemons?: number; clock?: ManualClock } = {},
) {
  const db: TestStorage = await createTestStorage();
  cleanups.push(() => db.drop());
  const workspace = new FakeWorkspace([{ name: "loc" }]);
  const launcher = new SimulatedLauncher(db.storage, { runMs: () => options.runMs ?? 40 });
  cleanups.push(() => launcher.close());
  const daemonSettings = settings({ run_coordinator: { dequeue_interval_seconds: 60, ...runCoordinator } });
  const daemons: DaemonHandle[] = [];
  for (let i = 0; i < (options.daemons ?? 1); i++) {
    // A second daemon has its own storage instance: its own connections and listener, as another process.
    const storage = i === 0 ? db.storage : await db.openAnother();
    const daemon = await startDaemon({
      instance: { storage, daemon: daemonSettings },
      workspace,
      launcher,
      loops: ["RUN_QUEUE"],
      log: memoryLog(),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    cleanups.push(() => daemon.stop());
    daemons.push(daemon);
  }
  return { db, storage: db.storage, launcher, daemons, workspace };
}

async function drained(storage: TestStorage["storage"], runIds: readonly string[]) {
  for (const runId of runIds) await waitForStatus(storage, runId, ["SUCCESS", "FAILURE"], 60_000);
}

describe("run queue coordinator", () => {
  it("never has more than max_concurrent_runs in progress, even with two coordinators on one database", async () => {
    const { storage, launcher, daemons } = await setup({ max_concurrent_runs: 3 }, { daemons: 2, runMs: 60 });
    const runIds = await Promise.all(Array.from({ length: 30 }, () => queueRun(storage)));
    let maxSeen = 0;
    const sampler = setInterval(async () => {
      const count = await storage.runs
        .countRuns({ statuses: ["STARTING", "STARTED", "CANCELING"] })
        .catch(() => 0);
      maxSeen = Math.max(maxSeen, count);
    }, 5);
    try {
      await drained(storage, runIds);
    } finally {
      clearInterval(sampler);
    }
    expect(launcher.launched).toHaveLength(30);
    expect(new Set(launcher.launched.map((r) => r.runId)).size).toBe(30);
    expect(launcher.maxActive).toBeLessThanOrEqual(3);
    expect(maxSeen).toBeLessThanOrEqual(3);
    // The limit was actually reached, so the test can tell a broken limit from an idle queue.
    expect(launcher.maxActive).toBe(3);
    expect(daemons.every((d) => d.passCount("RUN_QUEUE") > 0)).toBe(true);
  });

  it("holds tag limits per value and per unique value under a burst of launches", async () => {
    const { storage, launcher } = await setup(
      {
        max_concurrent_runs: -1,
        tag_concurrency_limits: [
          { key: "database", value: "warehouse", limit: 2 },
          { key: "team", value: { applyLimitPerUniqueValue: true }, limit: 1 },
          { key: "gpu", limit: 1 },
        ],
      },
      { daemons: 2, runMs: 50 },
    );
    const burst = [
      ...Array.from({ length: 8 }, () => ({ database: "warehouse" })),
      ...Array.from({ length: 4 }, () => ({ database: "lake" })),
      ...Array.from({ length: 4 }, () => ({ team: "red" })),
      ...Array.from({ length: 4 }, () => ({ team: "blue" })),
      ...Array.from({ length: 3 }, (_, i) => ({ gpu: `card-${i}` })),
    ];
    const runIds = await Promise.all(burst.map((tags) => queueRun(storage, { tags })));
    await drained(storage, runIds);
    expect(launcher.launched).toHaveLength(burst.length);
    expect(launcher.maxActiveByTag.get("database=warehouse")).toBe(2);
    expect(launcher.maxActiveByTag.get("team=red")).toBe(1);
    expect(launcher.maxActiveByTag.get("team=blue")).toBe(1);
    // Runs without a limit on their value are not held back: all four "lake" runs overlapped.
    expect(launcher.maxActiveByTag.get("database=lake")).toBe(4);
    // A limit without a value counts every run that has the tag, whatever its value.
    const gpuOverlap = Math.max(...[0, 1, 2].map((i) => launcher.maxActiveByTag.get(`gpu=card-${i}`) ?? 0));
    expect(gpuOverlap).toBe(1);
    const gpuRuns = launcher.launched.filter((r) => r.tags.gpu);
    const runsOf = await Promise.all(gpuRuns.map((r) => storage.runs.getRun(r.runId)));
    const spans = runsOf
      .map((r) => [r!.startTime!.getTime(), r!.endTime!.getTime()] as const)
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
  });

  it("starts higher bosun/priority first, then oldest first", async () => {
    const { storage, launcher } = await setup({ max_concurrent_runs: 0 });
    const order: [string, string | undefined][] = [
      ["a", undefined],
      ["b", "5"],
      ["c", "-2"],
      ["d", undefined],
      ["e", "5"],
      ["f", "oops"],
    ];
    const ids = new Map<string, string>();
    for (const [name, priority] of order) {
      ids.set(
        await queueRun(storage, { tags: { name, ...(priority ? { "bosun/priority": priority } : {}) } }),
        name,
      );
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    // max_concurrent_runs 0 holds the queue; a second daemon with a limit of 1 then drains it one by one.
    const daemon = await startDaemon({
      instance: {
        storage,
        daemon: settings({ run_coordinator: { max_concurrent_runs: 1, dequeue_interval_seconds: 60 } }),
      },
      workspace: new FakeWorkspace([{ name: "loc" }]),
      launcher,
      loops: ["RUN_QUEUE"],
      log: memoryLog(),
    });
    cleanups.push(() => daemon.stop());
    await drained(storage, [...ids.keys()]);
    expect(launcher.launched.map((r) => ids.get(r.runId))).toEqual(["b", "e", "a", "d", "f", "c"]);
  });

  it("wakes on a notification instead of waiting for its poll interval", async () => {
    const { storage, daemons } = await setup({ max_concurrent_runs: 5 });
    await waitFor(() => daemons[0]!.passCount("RUN_QUEUE") >= 1);
    const started = Date.now();
    const runId = await queueRun(storage);
    await waitForStatus(storage, runId, ["STARTED", "SUCCESS"], 5_000);
    // The poll interval is 60 s: only LISTEN/NOTIFY can have woken it this fast.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("ends a run FAILURE with the reason when the launcher fails or the location is unknown", async () => {
    const { storage, launcher } = await setup({});
    launcher.failWith = "no capacity on this host";
    const failing = await queueRun(storage);
    const failed = await waitForStatus(storage, failing, ["FAILURE"]);
    launcher.failWith = null;
    const lost = await queueRun(storage, { codeLocation: "nowhere" });
    await waitForStatus(storage, lost, ["FAILURE"]);
    const [failure] = await storage.events.getEvents(failing, { types: ["RUN_FAILURE"] });
    expect(failure?.data).toMatchObject({
      reason: "the simulated run launcher could not start the run worker: no capacity on this host",
      failure: { message: "no capacity on this host" },
    });
    const events = await storage.events.getEvents(lost);
    expect(events.map((e) => e.type)).toEqual(["RUN_ENQUEUED", "RUN_STARTING", "RUN_FAILURE"]);
    expect(events[2]?.data).toEqual({ reason: 'code location "nowhere" is not in the workspace' });
    expect(failed.endTime).toBeInstanceOf(Date);
  });

  it("keeps runs of a loading location queued and starts them once it has loaded", async () => {
    const { storage, workspace, daemons, launcher } = await setup({});
    workspace.set({ name: "slow", status: "LOADING" });
    const waiting = await queueRun(storage, { codeLocation: "slow" });
    const other = await queueRun(storage);
    await waitForStatus(storage, other, ["SUCCESS"]);
    await daemons[0]!.runOnce("RUN_QUEUE");
    expect((await storage.runs.getRun(waiting))?.status).toBe("QUEUED");
    workspace.set({ name: "slow" });
    await daemons[0]!.runOnce("RUN_QUEUE");
    await waitForStatus(storage, waiting, ["SUCCESS"]);
    expect(launcher.launched.map((r) => r.runId)).toEqual([other, waiting]);
  });

  it("counts the grace from when the location stopped answering, not from when the run was queued", async () => {
    // The daemon's clock is ten minutes ahead: to it, the run was queued ten minutes ago.
    const clock = new ManualClock(Date.now() + 10 * 60_000);
    const { storage, workspace, daemons } = await setup(
      { unreachable_location_grace_seconds: 20 },
      { clock },
    );
    workspace.set({ name: "restarting", status: "ERROR", unreachable: true });
    const waiting = await queueRun(storage, { codeLocation: "restarting" });
    await daemons[0]!.runOnce("RUN_QUEUE");
    clock.advance(19_000);
    await daemons[0]!.runOnce("RUN_QUEUE");
    expect((await storage.runs.getRun(waiting))?.status).toBe("QUEUED");
    workspace.set({ name: "restarting" });
    await daemons[0]!.runOnce("RUN_QUEUE");
    expect((await waitForStatus(storage, waiting, ["SUCCESS", "FAILURE"])).status).toBe("SUCCESS");
  });

  it("fails a run whose location stays unreachable past the grace period, and at once one whose code failed to load", async () => {
    const clock = new ManualClock(Date.now() + 10 * 60_000);
    const { storage, workspace, daemons } = await setup({ unreachable_location_grace_seconds: 3 }, { clock });
    // An earlier outage that ended does not count towards the next one.
    workspace.set({ name: "gone", status: "ERROR", unreachable: true });
    await daemons[0]!.runOnce("RUN_QUEUE");
    clock.advance(2_000);
    workspace.set({ name: "gone" });
    await daemons[0]!.runOnce("RUN_QUEUE");
    workspace.set({ name: "gone", status: "ERROR", unreachable: true });
    workspace.set({ name: "broken", status: "ERROR" });
    const waiting = await queueRun(storage, { codeLocation: "gone" });
    const broken = await queueRun(storage, { codeLocation: "broken" });
    await daemons[0]!.runOnce("RUN_QUEUE");
    await waitForStatus(storage, broken, ["FAILURE"]);
    clock.advance(2_000);
    await daemons[0]!.runOnce("RUN_QUEUE");
    expect((await storage.runs.getRun(waiting))?.status).toBe("QUEUED");
    clock.advance(1_500);
    await daemons[0]!.runOnce("RUN_QUEUE");
    await waitForStatus(storage, waiting, ["FAILURE"]);
    const reasonOf = async (runId: string) =>
      ((await storage.events.getEvents(runId, { types: ["RUN_FAILURE"] }))[0]?.data as { reason?: string })
        ?.reason;
    expect({ gone: await reasonOf(waiting), broken: await reasonOf(broken) }).toEqual({
      gone: 'code location "gone" has not answered for 3.5 s (unreachable_location_grace_seconds: 3): code location "gone" at fake:4000 is unreachable',
      broken: 'code location "broken" failed to load: fake load error',
    });
  });

  it("writes a heartbeat for each pass", async () => {
    const { storage, daemons } = await setup({});
    await daemons[0]!.runOnce("RUN_QUEUE");
    const beats = (await storage.heartbeats.listHeartbeats()).filter(
      (h) => h.daemonId === daemons[0]!.daemonId,
    );
    expect(beats.map((h) => [h.daemonType, h.errors])).toEqual([["RUN_QUEUE", []]]);
  });
});
