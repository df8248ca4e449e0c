import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { StoredEvent } from "@bosun/core";
import {
  type CliResult,
  type DedicatedPostgres,
  FIXTURES,
  startBosun,
  startDedicatedPostgres,
  waitFor,
} from "@bosun/test-support";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * PostgreSQL goes away in the middle of a step and comes back (a server of this file's own, stopped
 * and started on the same port), under run workers that are real `bosun job execute` processes: runs
 * within `storage.outage_tolerance_seconds` end SUCCESS with every event and log line stored once and
 * in order, with compute logs on and off, in process and in a step worker process; a longer outage
 * fails the run, saying so.
 */

const TICKS = 48;
const TICK_MS = 250;
const RUN_CONFIG = `ops:\n  tick:\n    config:\n      ticks: ${TICKS}\n      interval_ms: ${TICK_MS}\n`;
const TICK_LINES = Array.from({ length: TICKS }, (_, i) => `tick ${String(i).padStart(4, "0")}`);
const TICK_EVENTS = Array.from({ length: TICKS }, (_, i) => `tick event ${String(i).padStart(4, "0")}`);

let pg: DedicatedPostgres;
const homes: string[] = [];

beforeAll(async () => {
  pg = await startDedicatedPostgres();
});
afterAll(async () => {
  await pg?.close();
  for (const home of homes) await rm(home, { recursive: true, force: true });
});

/** Starts `bosun job execute` of `job` on this file's server, with `yaml` as its bosun.yaml; resolves with its run id. */
async function execute(
  job: string,
  yaml: string,
): Promise<{ runId: string; done: Promise<CliResult>; stdout: () => string }> {
  const home = await mkdtemp(path.join(tmpdir(), "bosun-outage-cli-"));
  homes.push(home);
  await writeFile(path.join(home, "bosun.yaml"), yaml);
  const { child, done } = startBosun(
    ["job", "execute", "-f", FIXTURES.outage, "-j", job, "--config", RUN_CONFIG],
    {
      BOSUN_HOME: home,
      BOSUN_DATABASE_URL: pg.databaseUrl,
    },
  );
  let stdout = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  let ended: CliResult | null = null;
  void done.then((result) => {
    ended = result;
  });
  const runId = await waitFor(
    `the run id of ${job}`,
    () => {
      if (ended) throw new Error(`bosun exited ${ended.code}: ${ended.stderr}`);
      return stdout.match(/^(\S+)\n/)?.[1];
    },
    30_000,
  );
  return { runId, done, stdout: () => stdout };
}

/** Waits until the run's tick step has started (its STEP_START is stored). */
async function tickStarted(runId: string): Promise<void> {
  await waitFor(
    `run ${runId}'s tick step to start`,
    async () => {
      const events = await pg.storage.events.getEvents(runId, { types: ["STEP_START"] });
      return events.some((event) => event.stepKey === "tick") ? true : undefined;
    },
    60_000,
    50,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The run's events as (type, step, message), without what differs between two runs (job name, pids, durations). */
function shape(events: readonly StoredEvent[]): string[] {
  return events
    .filter((event) => event.type !== "ENGINE_EVENT")
    .map(
      (event) =>
        `${event.type} ${event.stepKey ?? "-"} ${event.message.replace(/tick_in_process|tick_multiprocess|\d+ ms|pid \d+/g, "")}`,
    );
}

async function storedLines(runId: string, stepKey: string): Promise<string[]> {
  const chunk = await pg.storage.computeLogs.read(runId, stepKey, "stdout");
  return chunk.data.split("\n").filter((line) => line.length > 0);
}

describe("a database outage under running runs", () => {
  it("runs whose outage is shorter than the tolerance end SUCCESS with every event and log line once, in order", async () => {
    // The same job without an outage: what a complete run stores.
    const baseline = await execute("tick_in_process", "compute_logs:\n  enabled: true\n");
    expect((await baseline.done).code).toBe(0);
    const expected = shape(await pg.storage.events.getEvents(baseline.runId));
    expect(expected.filter((line) => line.includes("tick event"))).toHaveLength(TICKS);

    const logsOn = await execute("tick_in_process", "compute_logs:\n  enabled: true\n");
    const logsOff = await execute("tick_multiprocess", "compute_logs:\n  enabled: false\n");
    await Promise.all([tickStarted(logsOn.runId), tickStarted(logsOff.runId)]);
    await sleep(1_500);
    await pg.stop();
    await sleep(9_000);
    await pg.start();
    const [on, off] = await Promise.all([logsOn.done, logsOff.done]);
    expect(on.code, on.stderr).toBe(0);
    expect(off.code, off.stderr).toBe(0);

    for (const runId of [logsOn.runId, logsOff.runId])
      expect((await pg.storage.runs.getRun(runId))?.status).toBe("SUCCESS");
    const onEvents = await pg.storage.events.getEvents(logsOn.runId);
    const offEvents = await pg.storage.events.getEvents(logsOff.runId);
    for (const events of [onEvents, offEvents])
      expect(events.filter((e) => e.message.startsWith("tick event")).map((e) => e.message)).toEqual(
        TICK_EVENTS,
      );
    expect(shape(onEvents)).toEqual(expected);
    const offShape = shape(offEvents);
    expect(offShape.filter((line) => line.includes("tick event"))).toEqual(
      expected.filter((line) => line.includes("tick event")),
    );
    expect(offShape.filter((line) => /^(RUN|STEP)_/.test(line))).toEqual(
      expected.filter((line) => /^(RUN|STEP)_/.test(line)),
    );
    // Compute logs on: the step's whole stdout is stored once; off: it reached the process's stdout.
    expect(await storedLines(logsOn.runId, "tick")).toEqual(TICK_LINES);
    expect(await storedLines(logsOn.runId, "report")).toEqual([`ticked ${TICKS} times`]);
    expect(
      logsOff
        .stdout()
        .split("\n")
        .filter((line) => line.startsWith("tick ")),
    ).toEqual(TICK_LINES);
    expect(await pg.storage.computeLogs.stepKeysWithLogs(logsOff.runId)).toEqual([]);
  }, 90_000);

  it("an outage longer than storage.outage_tolerance_seconds fails the run with a reason naming it", async () => {
    const run = await execute(
      "tick_in_process",
      "compute_logs:\n  enabled: true\nstorage:\n  outage_tolerance_seconds: 2\n",
    );
    await tickStarted(run.runId);
    await pg.stop();
    await sleep(5_000);
    await pg.start();
    const result = await run.done;
    expect(result.code, result.stderr).toBe(1);
    const stored = await pg.storage.runs.getRun(run.runId);
    expect(stored?.status).toBe("FAILURE");
    const [failure] = await pg.storage.events.getEvents(run.runId, { types: ["RUN_FAILURE"] });
    expect(failure?.message).toMatch(/database was unreachable .* storage\.outage_tolerance_seconds \(2 s\)/);
  }, 60_000);

  it("an outage beyond the tolerance in a step worker process fails the run with the outage as its reason, not the process's exit", async () => {
    const run = await execute(
      "tick_multiprocess",
      "compute_logs:\n  enabled: false\nstorage:\n  outage_tolerance_seconds: 2\n",
    );
    await tickStarted(run.runId);
    await pg.stop();
    await sleep(5_000);
    await pg.start();
    const result = await run.done;
    expect(result.code, result.stderr).toBe(1);
    expect((await pg.storage.runs.getRun(run.runId))?.status).toBe("FAILURE");
    const [failure] = await pg.storage.events.getEvents(run.runId, { types: ["RUN_FAILURE"] });
    expect(failure?.message).toMatch(
      /^Run failed: the database was unreachable for \d+ s, longer than storage\.outage_tolerance_seconds \(2 s\)/,
    );
    expect(failure?.message).not.toContain("exited unexpectedly");
  }, 60_000);
});
