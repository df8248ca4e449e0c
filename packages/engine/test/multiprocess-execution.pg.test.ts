import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EngineHarness, eventsOfType, startEngineHarness } from "./engine-harness.ts";

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness();
});
afterAll(() => h.close());

function intervals(events: Awaited<ReturnType<EngineHarness["launch"]>>["events"], keys: string[]) {
  return keys.map((key) => {
    const start = eventsOfType(events, "STEP_START").find((e) => e.stepKey === key)!;
    const end = eventsOfType(events, "STEP_SUCCESS").find((e) => e.stepKey === key)!;
    return { key, start: start.timestamp, end: end.timestamp, pid: start.data.pid };
  });
}

describe("multiprocess executor", () => {
  it("runs two sleeping ops at the same time in separate worker processes", async () => {
    const { status, events } = await h.launch({
      jobName: "parallel_job",
      runConfig: { ops: { nap_one: { config: { ms: 1200 } }, nap_two: { config: { ms: 1200 } } } },
    });
    expect(status).toBe("SUCCESS");
    const [one, two] = intervals(events, ["nap_one", "nap_two"]);
    // Overlap: each started before the other finished.
    expect(one!.start).toBeLessThan(two!.end);
    expect(two!.start).toBeLessThan(one!.end);
    expect(one!.pid).not.toBe(two!.pid);
    expect(one!.pid).not.toBe(process.pid);
  });

  it("reuses worker processes between steps", async () => {
    const { status, events } = await h.launch({
      jobName: "parallel_job",
      runConfig: { ops: { nap_one: { config: { ms: 10 } }, nap_two: { config: { ms: 10 } } } },
    });
    expect(status).toBe("SUCCESS");
    const pids = new Set(eventsOfType(events, "STEP_START").map((e) => e.data.pid));
    // Three steps on a pool of at most two workers.
    expect(eventsOfType(events, "STEP_START")).toHaveLength(3);
    expect(pids.size).toBeLessThanOrEqual(2);
  });

  it("starts a fresh process for every step when asked", async () => {
    const { status, events } = await h.launch({
      jobName: "fresh_job",
      runConfig: { ops: { nap_one: { config: { ms: 10 } }, nap_two: { config: { ms: 10 } } } },
    });
    expect(status).toBe("SUCCESS");
    const pids = eventsOfType(events, "STEP_START").map((e) => e.data.pid);
    expect(new Set(pids).size).toBe(3);
  });

  it("refuses, before any step runs, an in-memory IO manager whose outputs cannot cross processes", async () => {
    const { status, events } = await h.launch({ jobName: "memory_multiprocess_job" });
    expect(status).toBe("FAILURE");
    expect(eventsOfType(events, "STEP_START")).toHaveLength(0);
    const failure = eventsOfType(events, "RUN_FAILURE")[0]!;
    expect(failure.data.reason).toMatch(/IO manager "memory" keeps outputs within one process/);
    expect(failure.data.failure?.className).toBe("IoManagerReachError");
  });

  it("interrupts running workers when the run is canceled and ends CANCELED", async () => {
    const abort = new AbortController();
    const outcome = h.launch({ jobName: "sleepy_multiprocess_job" }, abort.signal);
    // Wait until both steps have started in their workers.
    const deadline = Date.now() + 20_000;
    let runId: string | undefined;
    while (Date.now() < deadline) {
      const page = await h.db.storage.runs.listRuns({ jobName: "sleepy_multiprocess_job" }, { limit: 1 });
      runId = page.runs[0]?.runId;
      if (runId && (await h.db.storage.events.getEvents(runId, { types: ["STEP_START"] })).length === 2)
        break;
      await new Promise((r) => setTimeout(r, 50));
    }
    abort.abort(new Error("test cancels"));
    const { status, events } = await outcome;
    expect(status).toBe("CANCELED");
    const failures = eventsOfType(events, "STEP_FAILURE");
    expect(failures.map((f) => f.stepKey).sort()).toEqual(["sleep_one", "sleep_two"]);
    expect(failures.every((f) => f.data.failure.className === "StepInterruptedError")).toBe(true);
  });
});
