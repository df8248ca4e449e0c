import type { CodeLocationClient, ExecutionPlanRequest, ExecutionPlanResult } from "@bosun/code-server";
import { createTestStorage, type TestStorage } from "@bosun/test-support";
import { asset, defineDefinitions, input, job, op, staticPartitions } from "bosun";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  AssetNotFoundError,
  InvalidRunConfigError,
  inProcessLocation,
  JobNotFoundError,
  type RunCodeLocations,
  RunNotFinishedError,
  RunRequestRefusedError,
  RunRequests,
} from "../src/index.ts";

/** A small code location, defined here: a tagged job with config, a partitioned job and one asset. */
const numbers = op({
  name: "numbers",
  config: z.object({ count: z.number().int() }),
  run: async (ctx) => ctx.config.count,
});
const total = op({ name: "total", ins: { n: input<number>() }, run: async (_ctx, { n }) => n });
const report = op({ name: "report", ins: { t: input<number>() }, run: async (_ctx, { t }) => t });
const sumJob = job({
  name: "sum_job",
  tags: { team: "data", owner: "ana", "bosun/partition": "from-job" },
  build: () => {
    report({ t: total({ n: numbers() }) });
  },
});
const regional = job({
  name: "regional_job",
  partitions: staticPartitions(["eu", "us"]),
  build: () => {
    total({ n: numbers() });
  },
});
const revenue = asset({ key: ["sales", "revenue"], run: async () => 1 });
const definitions = defineDefinitions({ jobs: [sumJob, regional], assets: [revenue] });
const ORIGIN = { file: "/in-test/definitions.ts" };
const CONFIG = { ops: { numbers: { config: { count: 3 } } } };

let db: TestStorage;
let requests: RunRequests;
beforeAll(async () => {
  db = await createTestStorage();
  requests = new RunRequests({ storage: db.storage, locations: inProcessLocation(definitions, ORIGIN) });
});
afterAll(async () => {
  await db.drop();
});

/** The in-process location, with every plan request recorded (and optionally answered differently). */
function recordingLocations(answer?: (request: ExecutionPlanRequest) => ExecutionPlanResult | undefined) {
  const inner = inProcessLocation(definitions, ORIGIN);
  const plans: ExecutionPlanRequest[] = [];
  const locations: RunCodeLocations = {
    resolve(name) {
      const location = inner.resolve(name)!;
      const client: CodeLocationClient = {
        ...location.client,
        executionPlan: async (request) => {
          plans.push(request);
          return answer?.(request) ?? location.client.executionPlan(request);
        },
      };
      return { ...location, client };
    },
  };
  return { locations, plans };
}

async function finish(runId: string, succeeded: readonly string[], status: "SUCCESS" | "FAILURE") {
  const at = Date.now();
  await db.storage.events.appendEvents([
    { runId, type: "RUN_START", timestamp: at, stepKey: null, level: "info", message: "", data: {} },
    ...succeeded.map((stepKey) => ({
      runId,
      type: "STEP_SUCCESS" as const,
      timestamp: at,
      stepKey,
      level: "info" as const,
      message: "",
      data: { durationMs: 1 },
    })),
    status === "SUCCESS"
      ? {
          runId,
          type: "RUN_SUCCESS" as const,
          timestamp: at,
          stepKey: null,
          level: "info" as const,
          message: "",
          data: {},
        }
      : {
          runId,
          type: "RUN_FAILURE" as const,
          timestamp: at,
          stepKey: null,
          level: "error" as const,
          message: "",
          data: { reason: "a step failed" },
        },
  ] as never);
}

describe("launch", () => {
  it("stores a QUEUED run with its RUN_ENQUEUED event, tags layered job < request < Bosun's", async () => {
    const run = await requests.launch({
      location: "main",
      jobName: "regional_job",
      runConfig: CONFIG,
      tags: { "bosun/partition": "from-request" },
      partitionKey: "eu",
    });
    expect(run).toMatchObject({ status: "QUEUED", jobName: "regional_job", codeLocation: "main" });
    expect(run.tags).toEqual({ "bosun/partition": "eu" });
    const tagged = await requests.launch({ jobName: "sum_job", runConfig: CONFIG, tags: { owner: "bo" } });
    expect(tagged.tags).toEqual({ team: "data", owner: "bo", "bosun/partition": "from-job" });
    expect((await db.storage.events.getEvents(run.runId)).map((e) => e.type)).toEqual(["RUN_ENQUEUED"]);
  });

  it("stores a NOT_STARTED run, with no queue event, for a caller that executes it itself", async () => {
    const run = await requests.launch({ jobName: "sum_job", runConfig: CONFIG, status: "NOT_STARTED" });
    expect(run).toMatchObject({ status: "NOT_STARTED", codeLocation: null });
    expect(await db.storage.events.getEvents(run.runId)).toEqual([]);
  });

  it("launches an asset selection as the ad-hoc asset job with the assets it materializes", async () => {
    const run = await requests.launch({ assetSelection: ["sales/revenue"] });
    expect(run.assetSelection).toEqual(["sales/revenue"]);
  });

  it("names a missing job or asset with the nearest one, refuses bad config and partitions, and stores nothing", async () => {
    const before = await db.storage.runs.countRuns({});
    await expect(requests.launch({ jobName: "sum_jb" })).rejects.toThrow(
      new JobNotFoundError(null, "sum_jb", ["sum_job", "regional_job"]),
    );
    await expect(requests.launch({ jobName: "sum_jb" })).rejects.toThrow(
      /^no job named "sum_jb"; did you mean "sum_job"\?$/,
    );
    await expect(requests.launch({ assetSelection: ["sales/revenu"] })).rejects.toThrow(AssetNotFoundError);
    await expect(requests.launch({ assetSelection: ["sales/revenu"] })).rejects.toThrow(
      'did you mean "sales/revenue"?',
    );
    const config = await requests
      .launch({ jobName: "sum_job", runConfig: { ops: { numbers: { config: { cout: 3 } } } } })
      .catch((error: unknown) => error);
    expect(config).toBeInstanceOf(InvalidRunConfigError);
    expect((config as InvalidRunConfigError).issues.map((issue) => issue.path)).toContain(
      "ops.numbers.config.cout",
    );
    await expect(
      requests.launch({ jobName: "regional_job", runConfig: CONFIG, partitionKey: "mars" }),
    ).rejects.toThrow(RunRequestRefusedError);
    await expect(requests.launch({})).rejects.toThrow(
      "jobName: give either job or a non-empty assetSelection (exactly one of them)",
    );
    expect(await db.storage.runs.countRuns({})).toBe(before);
  });
});

describe("reexecute", () => {
  it("chooses from-failure steps from the code location's plan and validates the chosen plan", async () => {
    const parent = await requests.launch({ location: "main", jobName: "sum_job", runConfig: CONFIG });
    await finish(parent.runId, ["numbers"], "FAILURE");
    const { locations, plans } = recordingLocations();
    const child = await new RunRequests({ storage: db.storage, locations }).reexecute({
      parentRunId: parent.runId,
      mode: "fromFailure",
    });
    expect(child).toMatchObject({
      status: "QUEUED",
      parentRunId: parent.runId,
      rootRunId: parent.runId,
      stepKeysToExecute: ["total", "report"],
      codeLocation: "main",
      runConfig: CONFIG,
    });
    expect(child.tags).toMatchObject({ team: "data", "bosun/parent_run_id": parent.runId });
    expect(plans.map((plan) => plan.stepKeysToExecute)).toEqual([null, ["total", "report"]]);
  });

  it("follows the plan's edges, whatever the definitions say: the plan is the one source of the graph", async () => {
    const parent = await requests.launch({ location: "main", jobName: "sum_job", runConfig: CONFIG });
    await finish(parent.runId, ["numbers", "report"], "FAILURE");
    // A plan in which `report` does not read `total`, and a new step `audit` reads `numbers`.
    const { locations } = recordingLocations((request) =>
      request.stepKeysToExecute === null
        ? {
            ok: true,
            jobName: "sum_job",
            stepKeys: ["numbers", "total", "audit", "report"],
            assetKeys: [],
            steps: [
              { key: "numbers", upstream: [] },
              { key: "total", upstream: ["numbers"] },
              { key: "audit", upstream: ["numbers"] },
              { key: "report", upstream: [] },
            ],
          }
        : {
            ok: true,
            jobName: "sum_job",
            stepKeys: request.stepKeysToExecute ?? [],
            assetKeys: [],
            steps: [],
          },
    );
    const service = new RunRequests({ storage: db.storage, locations });
    const selected = await service.reexecute({
      parentRunId: parent.runId,
      mode: "selected",
      stepKeys: ["report", "audit"],
    });
    expect(selected.stepKeysToExecute).toEqual(["audit", "report"]);
    // `total` failed; in this plan `report` does not read it, so `report` (which succeeded) stays out,
    // where the definitions' graph would re-run it. `audit`, new to the plan, never succeeded.
    const fromFailure = await service.reexecute({ parentRunId: parent.runId, mode: "fromFailure" });
    expect(fromFailure.stepKeysToExecute).toEqual(["total", "audit"]);
  });

  it("keeps the chain's root, starts NOT_STARTED when asked, and refuses a run that has not finished", async () => {
    const parent = await requests.launch({ jobName: "sum_job", runConfig: CONFIG });
    await finish(parent.runId, ["numbers", "total", "report"], "SUCCESS");
    const child = await requests.reexecute({ parentRunId: parent.runId, mode: "all", status: "NOT_STARTED" });
    await finish(child.runId, ["numbers", "total", "report"], "SUCCESS");
    const grandchild = await requests.reexecute({ parentRunId: child.runId, mode: "all" });
    expect(child).toMatchObject({ status: "NOT_STARTED", stepKeysToExecute: null, codeLocation: null });
    expect(grandchild).toMatchObject({ parentRunId: child.runId, rootRunId: parent.runId });
    await expect(requests.reexecute({ parentRunId: grandchild.runId, mode: "all" })).rejects.toThrow(
      RunNotFinishedError,
    );
  });
});

describe("idempotency", () => {
  const tick = {
    kind: "schedule" as const,
    location: "main",
    name: "nightly",
    tickId: "t-1",
    tickKey: "k-1",
  };

  it("creates an instigator's run once per key, asking the code location only the first time", async () => {
    const { locations, plans } = recordingLocations();
    const service = new RunRequests({ storage: db.storage, locations });
    const request = {
      tick,
      jobName: "sum_job",
      request: { runConfig: CONFIG, tags: { team: "ops" } },
      index: 0,
    };
    const first = await service.requestFromInstigator(request);
    const second = await service.requestFromInstigator(request);
    expect(first.created).toBe(true);
    expect(second).toEqual({ run: first.run, created: false });
    expect(plans).toHaveLength(1);
    expect(first.run.tags).toMatchObject({
      team: "ops",
      owner: "ana",
      "bosun/schedule_name": "nightly",
      "bosun/tick_id": "t-1",
    });
    expect(first.run.status).toBe("QUEUED");
  });

  it("refuses an instigator's request the code location rejects, and stores nothing", async () => {
    const before = await db.storage.runs.countRuns({});
    await expect(
      requests.requestFromInstigator({
        tick: { ...tick, tickId: "t-2", tickKey: "k-2" },
        jobName: "regional_job",
        request: { runConfig: CONFIG, partitionKey: "mars" },
        index: 0,
      }),
    ).rejects.toThrow(RunRequestRefusedError);
    expect(await db.storage.runs.countRuns({})).toBe(before);
  });

  it("creates one retry per failed run, numbered and linked, whoever asks", async () => {
    const failed = await requests.launch({ location: "main", jobName: "sum_job", runConfig: CONFIG });
    await finish(failed.runId, [], "FAILURE");
    const stored = (await db.storage.runs.getRun(failed.runId))!;
    const first = await requests.retry(stored);
    const again = await requests.retry(stored);
    expect(first).toMatchObject({ created: true, retryNumber: 1 });
    expect(again).toMatchObject({ created: false, run: { runId: first.run.runId } });
    expect(first.run).toMatchObject({
      status: "QUEUED",
      parentRunId: failed.runId,
      rootRunId: failed.runId,
      runConfig: CONFIG,
    });
    expect(first.run.tags).toMatchObject({ "bosun/retry_number": "1", "bosun/parent_run_id": failed.runId });
  });
});
