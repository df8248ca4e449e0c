import type { InstigatorEvaluation } from "@bosun/code-server";
import type { BosunStorage } from "@bosun/storage";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../src/manual-clock.ts";
import type { DaemonHandle } from "../src/start-daemon.ts";
import { waitFor } from "./daemon-harness.ts";
import { FakeWorkspace, sensorSnapshot } from "./fake-workspace.ts";
import { advanceLoop, loopTestbed } from "./loop-testbed.ts";

const T0 = Date.UTC(2030, 0, 1);

const { database, startLoop } = loopTestbed();

function sensorDaemon(
  storage: BosunStorage,
  workspace: FakeWorkspace,
  clock: ManualClock,
): Promise<DaemonHandle> {
  return startLoop("SENSOR", { storage, workspace, clock, daemon: { sensors: { interval_seconds: 5 } } });
}

function advance(clock: ManualClock, daemons: readonly DaemonHandle[], ms: number): Promise<void> {
  return advanceLoop(clock, daemons, "SENSOR", ms);
}

/**
 * A sensor over a growing list of "files": it requests one run per file not yet seen past its cursor,
 * with the file name as run key, and returns the newest file as its cursor. `replayFrom` makes it ignore
 * its cursor (as a buggy sensor would) to show run keys deduplicating.
 */
function fileSensor(files: string[], options: { ignoreCursor?: boolean } = {}) {
  const seen: (string | null)[] = [];
  const evaluate = (_name: string, cursor: string | null): InstigatorEvaluation => {
    seen.push(cursor);
    const start = options.ignoreCursor || cursor === null ? 0 : files.indexOf(cursor) + 1;
    const fresh = files.slice(start);
    return {
      ok: true,
      runRequests: fresh.map((file) => ({ runKey: file, tags: { file } })),
      skipReason: fresh.length === 0 ? "no new files" : null,
      cursor: files.at(-1) ?? null,
    };
  };
  return { evaluate, seen };
}

describe("sensors", () => {
  it("keeps its cursor across a daemon restart and evaluates at its minimum interval", async () => {
    const db = await database();
    const clock = new ManualClock(T0);
    const files = ["a.csv", "b.csv"];
    const sensor = fileSensor(files);
    const workspace = new FakeWorkspace([
      {
        name: "loc",
        sensors: [sensorSnapshot({ name: "files", minimumIntervalSeconds: 30 })],
        evaluateSensor: sensor.evaluate,
      },
    ]);
    const first = await sensorDaemon(db.storage, workspace, clock);
    await waitFor(() => first.passCount("SENSOR") > 0);
    expect(sensor.seen).toEqual([null]);
    // 10 s later: within the minimum interval, not evaluated again.
    await advance(clock, [first], 10_000);
    expect(sensor.seen).toEqual([null]);
    await first.stop();

    files.push("c.csv");
    clock.advance(30_000);
    // A new daemon, with its own storage instance, as after a restart.
    const second = await sensorDaemon(await db.openAnother(), workspace, clock);
    await waitFor(() => second.passCount("SENSOR") > 0);
    expect(sensor.seen).toEqual([null, "b.csv"]);
    const state = await db.storage.instigators.getState("sensor", "loc", "files");
    expect(state).toMatchObject({ cursor: "c.csv", lastEvaluatedAt: T0 + 40_000 });
    const runs = await db.storage.runs.listRuns({ tags: { "bosun/sensor_name": "files" } }, { limit: 10 });
    expect(runs.runs.map((r) => r.tags.file).sort()).toEqual(["a.csv", "b.csv", "c.csv"]);
    expect(runs.runs.every((r) => r.tags["bosun/run_key"] === r.tags.file)).toBe(true);
  });

  it("never queues two runs for one run key, across evaluations and daemons", async () => {
    const db = await database();
    const clock = new ManualClock(T0);
    const files = ["x.csv", "y.csv"];
    const sensor = fileSensor(files, { ignoreCursor: true });
    const snapshot = sensorSnapshot({ name: "replaying", minimumIntervalSeconds: 10 });
    const workspaces = [0, 1].map(
      () => new FakeWorkspace([{ name: "loc", sensors: [snapshot], evaluateSensor: sensor.evaluate }]),
    );
    const daemons = [
      await sensorDaemon(db.storage, workspaces[0]!, clock),
      await sensorDaemon(await db.openAnother(), workspaces[1]!, clock),
    ];
    await waitFor(() => daemons.every((d) => d.passCount("SENSOR") > 0));
    for (let i = 0; i < 4; i++) {
      if (i === 2) files.push("z.csv");
      await advance(clock, daemons, 10_000);
      await Promise.all(daemons.map((d) => d.runOnce("SENSOR")));
    }
    const runs = await db.storage.runs.listRuns(
      { tags: { "bosun/sensor_name": "replaying" } },
      { limit: 100 },
    );
    expect(runs.runs.map((r) => r.tags.file).sort()).toEqual(["x.csv", "y.csv", "z.csv"]);
    // One evaluation per interval in all, whichever daemon made it: 5 (at 0, 10, 20, 30, 40 s).
    expect(sensor.seen).toHaveLength(5);
    const ticks = await db.storage.instigators.listTicks("sensor", "loc", "replaying", { limit: 100 });
    expect(ticks.map((t) => t.status).reverse()).toEqual([
      "SUCCESS",
      "SKIPPED",
      "SKIPPED",
      "SUCCESS",
      "SKIPPED",
    ]);
    expect(ticks.find((t) => t.status === "SKIPPED")?.skipReason).toBe(
      "every requested run key was used already",
    );
  });

  it("keeps the cursor when an evaluation fails and tries again at the next interval", async () => {
    const db = await database();
    const clock = new ManualClock(T0);
    let fail = false;
    const workspace = new FakeWorkspace([
      {
        name: "loc",
        sensors: [sensorSnapshot({ name: "flaky", minimumIntervalSeconds: 30 })],
        evaluateSensor: (_name, cursor) =>
          fail
            ? {
                ok: false,
                error: { className: "Error", message: "bucket unreachable", stack: null, cause: null },
              }
            : { ok: true, runRequests: [], skipReason: "nothing new", cursor: `${cursor ?? ""}+` },
      },
    ]);
    const daemon = await sensorDaemon(db.storage, workspace, clock);
    await waitFor(() => daemon.passCount("SENSOR") > 0);
    fail = true;
    await advance(clock, [daemon], 30_000);
    fail = false;
    await advance(clock, [daemon], 30_000);
    const ticks = [...(await db.storage.instigators.listTicks("sensor", "loc", "flaky"))].reverse();
    expect(ticks.map((t) => [t.status, t.cursor])).toEqual([
      ["SKIPPED", "+"],
      ["FAILURE", "+"],
      ["SKIPPED", "++"],
    ]);
    expect(ticks[1]?.error?.message).toBe("bucket unreachable");
  });

  it("does not evaluate a sensor that is stopped", async () => {
    const db = await database();
    const clock = new ManualClock(T0);
    const sensor = fileSensor(["a"]);
    const workspace = new FakeWorkspace([
      {
        name: "loc",
        sensors: [sensorSnapshot({ name: "idle", defaultStatus: "STOPPED" })],
        evaluateSensor: sensor.evaluate,
      },
    ]);
    const daemon = await sensorDaemon(db.storage, workspace, clock);
    await waitFor(() => daemon.passCount("SENSOR") > 0);
    await advance(clock, [daemon], 60_000);
    expect(sensor.seen).toEqual([]);
    await db.storage.instigators.setStatus("sensor", "loc", "idle", "RUNNING");
    await advance(clock, [daemon], 5_000);
    expect(sensor.seen).toEqual([null]);
  });
});
