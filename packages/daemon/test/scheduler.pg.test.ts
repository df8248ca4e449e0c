import type { BosunStorage } from "@bosun/storage";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../src/manual-clock.ts";
import type { DaemonHandle } from "../src/start-daemon.ts";
import { waitFor } from "./daemon-harness.ts";
import { FakeWorkspace, scheduleSnapshot } from "./fake-workspace.ts";
import { advanceLoop, loopTestbed } from "./loop-testbed.ts";

const MINUTE = 60_000;
const T0 = Date.UTC(2030, 0, 1, 0, 0, 30);

const { database, startLoop } = loopTestbed();

function scheduler(
  storage: BosunStorage,
  workspace: FakeWorkspace,
  clock: ManualClock,
  schedulerSettings: Record<string, unknown> = {},
): Promise<DaemonHandle> {
  return startLoop("SCHEDULER", { storage, workspace, clock, daemon: { scheduler: schedulerSettings } });
}

/** Advances the clock and waits until every daemon has made a pass at the new time. */
function advance(clock: ManualClock, daemons: readonly DaemonHandle[], ms: number): Promise<void> {
  return advanceLoop(clock, daemons, "SCHEDULER", ms);
}

async function ticksOf(storage: BosunStorage, name: string) {
  return [...(await storage.instigators.listTicks("schedule", "loc", name, { limit: 1000 }))].reverse();
}

const iso = (ms: number) => new Date(ms).toISOString();

describe("scheduler", () => {
  it("ticks exactly once per tick with two daemons running against one database", async () => {
    const db = await database();
    const clock = new ManualClock(T0);
    const schedule = scheduleSnapshot({ name: "every_minute", cron: "* * * * *" });
    // Each daemon has its own workspace (its own code server connection, as another process would).
    const workspaces = [
      new FakeWorkspace([{ name: "loc", schedules: [schedule] }]),
      new FakeWorkspace([{ name: "loc", schedules: [schedule] }]),
    ];
    const daemons = [
      await scheduler(db.storage, workspaces[0]!, clock),
      await scheduler(await db.openAnother(), workspaces[1]!, clock),
    ];
    await waitFor(() => daemons.every((d) => d.passCount("SCHEDULER") > 0));
    for (let minute = 0; minute < 6; minute++) {
      await advance(clock, daemons, MINUTE);
      // Besides the passes the clock wakes, race two explicit passes against each other.
      await Promise.all(daemons.map((d) => d.runOnce("SCHEDULER")));
    }
    const ticks = await ticksOf(db.storage, "every_minute");
    const expected = Array.from({ length: 6 }, (_, i) => iso(Date.UTC(2030, 0, 1, 0, i + 1)));
    expect(ticks.map((t) => t.tickKey)).toEqual(expected);
    expect(ticks.every((t) => t.status === "SUCCESS" && t.runIds.length === 1)).toBe(true);
    const runs = await db.storage.runs.listRuns(
      { tags: { "bosun/schedule_name": "every_minute" } },
      { limit: 100 },
    );
    expect(runs.runs).toHaveLength(6);
    expect(new Set(ticks.map((t) => t.runIds[0]))).toEqual(new Set(runs.runs.map((r) => r.runId)));
    expect(
      runs.runs.every((r) => r.status === "QUEUED" && r.codeLocation === "loc" && r.jobName === "fake_job"),
    ).toBe(true);
    // Each tick was evaluated once in all: the daemon that lost the claim did not evaluate it.
    const evaluations = workspaces.flatMap((w) => w.calls.filter((c) => c.method === "evaluateSchedule"));
    expect(evaluations.map((c) => (c.args[1] as Date).toISOString()).sort()).toEqual(expected);
  });

  it("evaluates each tick at its scheduled time in the schedule's timezone", async () => {
    const db = await database();
    // 09:00 in Paris is 08:00 UTC in winter.
    const clock = new ManualClock(Date.UTC(2030, 0, 1, 7, 59, 0));
    const schedule = scheduleSnapshot({ name: "paris_nine", cron: "0 9 * * *", timezone: "Europe/Paris" });
    const workspace = new FakeWorkspace([{ name: "loc", schedules: [schedule] }]);
    const daemon = await scheduler(db.storage, workspace, clock);
    await waitFor(() => daemon.passCount("SCHEDULER") > 0);
    await advance(clock, [daemon], 30_000);
    expect(await ticksOf(db.storage, "paris_nine")).toEqual([]);
    await advance(clock, [daemon], 60_000);
    const ticks = await ticksOf(db.storage, "paris_nine");
    expect(ticks.map((t) => t.tickKey)).toEqual(["2030-01-01T08:00:00.000Z"]);
  });

  it("catches up after downtime only as far as max_catchup_runs, newest ticks first", async () => {
    const db = await database();
    const clock = new ManualClock(T0);
    const schedule = scheduleSnapshot({ name: "catch_up", cron: "* * * * *" });
    const workspace = new FakeWorkspace([{ name: "loc", schedules: [schedule] }]);
    const first = await scheduler(db.storage, workspace, clock, { max_catchup_runs: 3 });
    await waitFor(() => first.passCount("SCHEDULER") > 0);
    await advance(clock, [first], MINUTE); // 00:01:30 → tick 00:01
    await first.stop();
    clock.advance(10 * MINUTE); // down until 00:11:30: ticks 00:02 … 00:11 missed
    const second = await scheduler(db.storage, workspace, clock, { max_catchup_runs: 3 });
    await waitFor(() => second.passCount("SCHEDULER") > 0);
    const keys = (await ticksOf(db.storage, "catch_up")).map((t) => t.tickKey);
    expect(keys).toEqual([1, 9, 10, 11].map((m) => iso(Date.UTC(2030, 0, 1, 0, m))));
  });

  it("runs only the latest missed tick by default", async () => {
    const db = await database();
    const clock = new ManualClock(T0);
    const schedule = scheduleSnapshot({ name: "default_catch_up", cron: "*/5 * * * *" });
    const workspace = new FakeWorkspace([{ name: "loc", schedules: [schedule] }]);
    const first = await scheduler(db.storage, workspace, clock);
    await waitFor(() => first.passCount("SCHEDULER") > 0);
    await advance(clock, [first], 5 * MINUTE); // tick 00:05
    await first.stop();
    clock.advance(60 * MINUTE);
    const second = await scheduler(db.storage, workspace, clock);
    await waitFor(() => second.passCount("SCHEDULER") > 0);
    const keys = (await ticksOf(db.storage, "default_catch_up")).map((t) => t.tickKey);
    expect(keys).toEqual([iso(Date.UTC(2030, 0, 1, 0, 5)), iso(Date.UTC(2030, 0, 1, 1, 5))]);
  });

  it("does not tick a stopped schedule, nor one stopped by default until it is switched on", async () => {
    const db = await database();
    const clock = new ManualClock(T0);
    const toggled = scheduleSnapshot({ name: "toggled", cron: "* * * * *" });
    const off = scheduleSnapshot({ name: "off_by_default", cron: "* * * * *", defaultStatus: "STOPPED" });
    const workspace = new FakeWorkspace([{ name: "loc", schedules: [toggled, off] }]);
    await db.storage.instigators.setStatus("schedule", "loc", "toggled", "STOPPED");
    const daemon = await scheduler(db.storage, workspace, clock);
    await waitFor(() => daemon.passCount("SCHEDULER") > 0);
    await advance(clock, [daemon], 3 * MINUTE);
    expect(await ticksOf(db.storage, "toggled")).toEqual([]);
    expect(await ticksOf(db.storage, "off_by_default")).toEqual([]);
    await db.storage.instigators.setStatus("schedule", "loc", "off_by_default", "RUNNING");
    await db.storage.instigators.setStatus("schedule", "loc", "toggled", "RUNNING");
    await advance(clock, [daemon], MINUTE);
    for (const name of ["toggled", "off_by_default"]) {
      const keys = (await ticksOf(db.storage, name)).map((t) => t.tickKey);
      expect(keys.at(-1)).toBe(iso(Date.UTC(2030, 0, 1, 0, 4)));
      // The clock here is years ahead of the database's: switched on "before" the first due tick, so
      // at most max_catchup_runs (1) of the stopped period's ticks run.
      expect(keys.length).toBeLessThanOrEqual(1);
    }
  });

  it("records a skipped tick and a failed evaluation on the tick", async () => {
    const db = await database();
    const clock = new ManualClock(T0);
    const skipping = scheduleSnapshot({ name: "skipping" });
    const broken = scheduleSnapshot({ name: "broken" });
    const workspace = new FakeWorkspace([
      {
        name: "loc",
        schedules: [skipping, broken],
        evaluateSchedule: (name) =>
          name === "skipping"
            ? { ok: true, runRequests: [], skipReason: "holiday", cursor: null }
            : {
                ok: false,
                error: { className: "TypeError", message: "user code broke", stack: null, cause: null },
              },
      },
    ]);
    const daemon = await scheduler(db.storage, workspace, clock);
    await waitFor(() => daemon.passCount("SCHEDULER") > 0);
    await advance(clock, [daemon], MINUTE);
    const [skipped] = await ticksOf(db.storage, "skipping");
    const [failed] = await ticksOf(db.storage, "broken");
    expect(skipped).toMatchObject({ status: "SKIPPED", skipReason: "holiday", runIds: [] });
    expect(failed).toMatchObject({
      status: "FAILURE",
      error: { className: "TypeError", message: "user code broke" },
    });
    expect(await db.storage.runs.countRuns({})).toBe(0);
  });

  it("finishes a tick whose daemon died after claiming it, without doubling its run", async () => {
    const db = await database();
    const clock = new ManualClock(T0 + MINUTE);
    const schedule = scheduleSnapshot({ name: "resumed", cron: "* * * * *" });
    const workspace = new FakeWorkspace([{ name: "loc", schedules: [schedule] }]);
    const tickTime = Date.UTC(2030, 0, 1, 0, 1);
    // A daemon claimed the 00:01 tick, queued its run, and died before finishing the tick.
    const claimed = await db.storage.instigators.claimTick({
      kind: "schedule",
      location: "loc",
      name: "resumed",
      tickKey: iso(tickTime),
      timestamp: tickTime,
    });
    const orphan = await db.storage.runQueue.createRunOnce(
      { runId: "orphan-run", jobName: "fake_job", status: "QUEUED", codeLocation: "loc" },
      `schedule/loc/resumed/${iso(tickTime)}/#0`,
    );
    expect(orphan.created).toBe(true);
    const daemon = await scheduler(db.storage, workspace, clock, { stale_tick_seconds: 120 });
    await waitFor(() => daemon.passCount("SCHEDULER") > 0);
    expect((await ticksOf(db.storage, "resumed")).map((t) => t.status)).toEqual(["STARTED"]);
    await advance(clock, [daemon], 3 * MINUTE);
    const ticks = await ticksOf(db.storage, "resumed");
    expect(ticks[0]).toMatchObject({ tickId: claimed!.tickId, status: "SUCCESS", runIds: ["orphan-run"] });
    // The resumed tick reused the run its idempotency key pointed at; the only other run is the 00:04 tick's.
    expect(ticks.map((t) => t.tickKey)).toEqual([iso(tickTime), iso(Date.UTC(2030, 0, 1, 0, 4))]);
    expect(await db.storage.runs.countRuns({})).toBe(2);
  });
});
