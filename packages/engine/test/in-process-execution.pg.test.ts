import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeValueForTests } from "./decode-output.ts";
import { type EngineHarness, eventsOfType, startEngineHarness, stepEvents } from "./engine-harness.ts";

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness();
});
afterAll(() => h.close());

describe("in-process execution", () => {
  it("runs a fan-out/fan-in job and passes every output downstream", async () => {
    const { status, run, events } = await h.launch({
      jobName: "fan_job",
      runConfig: { ops: { numbers: { config: { count: 4 } } } },
    });
    expect(status).toBe("SUCCESS");
    expect(run.status).toBe("SUCCESS");
    expect(run.startTime).not.toBeNull();
    expect(run.endTime).not.toBeNull();
    const collected = await decodeValueForTests(
      path.join(h.home, "storage", "runs", run.runId, "collect", "result"),
    );
    expect(collected).toEqual([10, 24]);
    const loaded = eventsOfType(events, "LOADED_INPUT").filter((e) => e.stepKey === "collect");
    expect(loaded.map((e) => e.data.fromStepKey)).toEqual(["sum", "product"]);
    expect(events[0]!.type).toBe("RUN_START");
    expect(events.at(-1)!.type).toBe("RUN_SUCCESS");
  });

  it("stores events in order with increasing sequence numbers", async () => {
    const { events } = await h.launch({ jobName: "fan_job" });
    const seqs = events.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(stepEvents(events, "sum")).toEqual([
      "STEP_START",
      "LOADED_INPUT",
      "STEP_OUTPUT",
      "HANDLED_OUTPUT",
      "STEP_SUCCESS",
    ]);
  });

  it("captures a step's stdout and stderr, readable after the run", async () => {
    const { run, events } = await h.launch({
      jobName: "fan_job",
      runConfig: { ops: { numbers: { config: { count: 2 } } } },
    });
    const stdout = await h.db.storage.computeLogs.read(run.runId, "collect", "stdout");
    const stderr = await h.db.storage.computeLogs.read(run.runId, "collect", "stderr");
    expect(stdout.data).toBe("parts=[3,2]\n");
    expect(stderr.data).toBe("collect wrote to stderr\n");
    expect(eventsOfType(events, "LOGS_CAPTURED").map((e) => e.stepKey)).toEqual(["collect"]);
    const logged = eventsOfType(events, "LOG_MESSAGE").find((e) => e.stepKey === "collect");
    expect(logged?.message).toBe("collected");
    expect(logged?.data.fields).toEqual({ parts: [3, 2] });
  });

  it("records a failing op's error class, message, stack and cause, and skips what is downstream", async () => {
    const { status, events } = await h.launch({ jobName: "failing_job" });
    expect(status).toBe("FAILURE");
    const [failure] = eventsOfType(events, "STEP_FAILURE");
    expect(failure!.stepKey).toBe("explode");
    expect(failure!.data.failure.className).toBe("Error");
    expect(failure!.data.failure.message).toBe("could not write the report");
    expect(failure!.data.failure.stack).toContain("engine-location.ts");
    expect(failure!.data.failure.cause?.className).toBe("QuotaExceeded");
    expect(failure!.data.failure.cause?.message).toBe("disk quota exceeded");
    expect(stepEvents(events, "after_explode")).toEqual(["STEP_SKIPPED"]);
    expect(events.at(-1)!.type).toBe("RUN_FAILURE");
  });

  it("retries a failing op by its retry policy: STEP_RETRY then success", async () => {
    const { status, events } = await h.launch({ jobName: "retry_job" });
    expect(status).toBe("SUCCESS");
    expect(stepEvents(events, "flaky")).toEqual([
      "STEP_START",
      "STEP_RETRY",
      "STEP_START",
      "STEP_RETRY",
      "STEP_START",
      "STEP_OUTPUT",
      "HANDLED_OUTPUT",
      "STEP_SUCCESS",
    ]);
    expect(eventsOfType(events, "STEP_RETRY").map((e) => e.data.attempt)).toEqual([1, 2]);
  });

  it("does not retry a Failure thrown with allowRetries: false", async () => {
    const { status, events } = await h.launch({ jobName: "no_retry_job" });
    expect(status).toBe("FAILURE");
    expect(stepEvents(events, "no_retry")).toEqual(["STEP_START", "STEP_FAILURE"]);
  });

  it("re-executes from failure, reusing the parent's outputs for steps that succeeded", async () => {
    const flag = path.join(h.home, "fail-step-b");
    const counter = path.join(h.home, "step_a.count");
    await rm(counter, { force: true });
    await writeFile(flag, "");
    const parent = await h.launch({ jobName: "chain_job" });
    expect(parent.status).toBe("FAILURE");
    await rm(flag);

    const child = await h.reexecute(parent.run.runId, "fromFailure");
    expect(child.status).toBe("SUCCESS");
    expect(child.run.parentRunId).toBe(parent.run.runId);
    expect(child.run.rootRunId).toBe(parent.run.runId);
    expect(child.run.stepKeysToExecute).toEqual(["step_b", "step_c"]);
    expect(eventsOfType(child.events, "STEP_START").map((e) => e.stepKey)).toEqual(["step_b", "step_c"]);
    // step_a ran once, in the parent; its stored output fed step_b in the child.
    expect(await readFile(counter, "utf8")).toBe("x");
    const c = await decodeValueForTests(
      path.join(h.home, "storage", "runs", child.run.runId, "step_c", "result"),
    );
    expect(c).toBe(43);
  });

  it("refuses to re-execute from failure a run that succeeded", async () => {
    const parent = await h.launch({ jobName: "fan_job" });
    await expect(h.reexecute(parent.run.runId, "fromFailure")).rejects.toThrow(
      /no failed or unfinished steps/,
    );
  });

  it("inlines graphs under the graph's name", async () => {
    const { status, events } = await h.launch({ jobName: "graph_job" });
    expect(status).toBe("SUCCESS");
    expect(eventsOfType(events, "STEP_SUCCESS").map((e) => e.stepKey)).toEqual([
      "numbers",
      "double_then_add.sum",
      "double_then_add.double",
      "double_then_add.add_one",
    ]);
  });

  it("materializes a partitioned asset for the chosen partition, with its metadata", async () => {
    const { status, run, events } = await h.launch({
      assetSelection: ["sales/region_sales", "region_report"],
      partitionKey: "south",
    });
    expect(status).toBe("SUCCESS");
    expect(run.partitionKey).toBe("south");
    expect(run.tags["bosun/partition"]).toBe("south");
    const materializations = eventsOfType(events, "ASSET_MATERIALIZATION");
    expect(materializations.map((m) => [m.data.assetKey, m.data.partitionKey])).toEqual([
      ["sales/region_sales", "south"],
      ["region_report", "south"],
    ]);
    expect(materializations[0]!.data.metadata.region).toEqual({ type: "text", value: "south" });
    expect(materializations[0]!.data.metadata.preview).toEqual({
      type: "table",
      columns: ["region"],
      rows: [["south"]],
    });
    const report = await decodeValueForTests(
      path.join(h.home, "storage", "assets", "region_report", "south"),
    );
    expect(report).toBe("south:20");
    const latest = await h.db.storage.events.latestMaterializations(["region_report"], { byPartition: true });
    expect(latest.map((m) => m.partitionKey)).toContain("south");
  });

  it("rejects a partition that is not in the asset's partitions, storing no run", async () => {
    const before = await h.db.storage.runs.countRuns({});
    await expect(h.launch({ assetSelection: ["sales/region_sales"], partitionKey: "west" })).rejects.toThrow(
      /expected one of "north", "south"/,
    );
    expect(await h.db.storage.runs.countRuns({})).toBe(before);
  });

  it("rejects invalid run config naming the path, storing no run", async () => {
    const before = await h.db.storage.runs.countRuns({});
    await expect(
      h.launch({ jobName: "fan_job", runConfig: { ops: { numbers: { config: { count: "many" } } } } }),
    ).rejects.toThrow(/ops\.numbers\.config\.count: .*expected number/);
    await expect(h.launch({ jobName: "fan_job", runConfig: { ops: { numbrs: {} } } })).rejects.toThrow(
      /ops\.numbrs: no such op in job "fan_job"; did you mean "numbers"\?/,
    );
    expect(await h.db.storage.runs.countRuns({})).toBe(before);
  });

  it("ends the run CANCELED when its signal is aborted mid-step", async () => {
    const abort = new AbortController();
    const started = path.join(h.home, "long_sleep.started");
    await rm(started, { force: true });
    const waitForStart = (async () => {
      for (let i = 0; i < 200; i++) {
        try {
          await readFile(started);
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 25));
        }
      }
    })();
    const outcome = h.launch({ jobName: "sleepy_job" }, abort.signal);
    await waitForStart;
    abort.abort(new Error("test cancels"));
    const { status, events } = await outcome;
    expect(status).toBe("CANCELED");
    expect(stepEvents(events, "long_sleep")).toEqual(["STEP_START", "STEP_FAILURE"]);
    expect(eventsOfType(events, "STEP_FAILURE")[0]!.data.failure.className).toBe("StepInterruptedError");
    expect(events.at(-1)!.type).toBe("RUN_CANCELED");
  });
});
