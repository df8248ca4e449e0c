import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { newEvent } from "@bosun/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UI_NOT_BUILT_HTML } from "../src/index.ts";
import { startWebserverHarness, type WebserverHarness } from "./support/webserver-harness.ts";

let h: WebserverHarness;
beforeAll(async () => {
  h = await startWebserverHarness();
});
afterAll(() => h?.close());

async function launch(body: Record<string, unknown>) {
  const response = await h.api("POST", "/api/runs", { location: "main", ...body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.run;
}

describe("system", () => {
  it("answers liveness, readiness and server info without credentials", async () => {
    expect((await h.api("GET", "/api/health")).body).toEqual({ status: "ok" });
    expect((await h.api("GET", "/api/ready")).body).toEqual({ status: "ready" });
    const info = await h.api("GET", "/api/server-info");
    expect(info.body).toMatchObject({
      name: "bosun-webserver",
      readOnly: false,
      canTerminateStartedRuns: false,
    });
    expect(info.body.storage).toContain("/bosun_test_");
    const password = new URL(h.db.databaseUrl).password;
    if (password) expect(JSON.stringify(info.body)).not.toContain(password);
  });

  it("answers an unknown API path with 404 in the error shape", async () => {
    const response = await h.api("GET", "/api/nothing-here");
    expect(response.status).toBe(404);
    expect(response.body.error).toEqual({ code: "NOT_FOUND", message: "no route GET /api/nothing-here" });
  });

  it("says the UI is not built at / when there is no build", async () => {
    const response = await fetch(`${h.server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toBe(UI_NOT_BUILT_HTML);
  });

  it("serves a built UI with its assets and falls back to index.html for client routes", async () => {
    const dist = await mkdtemp(path.join(tmpdir(), "bosun-ui-dist-"));
    try {
      await mkdir(path.join(dist, "assets"));
      await writeFile(path.join(dist, "index.html"), "<html>bosun ui</html>");
      await writeFile(path.join(dist, "assets", "app-1234.js"), "console.log('ui')");
      const server = await h.startAnother({ uiDirectory: dist });
      const index = await fetch(`${server.url}/`);
      expect(await index.text()).toBe("<html>bosun ui</html>");
      const asset = await fetch(`${server.url}/assets/app-1234.js`);
      expect(asset.headers.get("content-type")).toContain("text/javascript");
      expect(asset.headers.get("cache-control")).toContain("immutable");
      expect(await asset.text()).toBe("console.log('ui')");
      const clientRoute = await fetch(`${server.url}/runs/some-run-id`);
      expect(await clientRoute.text()).toBe("<html>bosun ui</html>");
      const traversal = await fetch(`${server.url}/..%2f..%2fetc%2fpasswd`);
      expect(await traversal.text()).toBe("<html>bosun ui</html>");
      expect((await h.api("GET", "/api/health", undefined, server)).body).toEqual({ status: "ok" });
    } finally {
      await rm(dist, { recursive: true, force: true });
    }
  });
});

describe("locations and jobs", () => {
  it("lists locations with status, and a broken one with its error message and stack", async () => {
    const { body } = await h.api("GET", "/api/locations");
    const [main, broken] = body.locations;
    expect(body.locations.map((l: { name: string }) => l.name)).toEqual(["main", "broken", "down"]);
    expect(main).toMatchObject({ name: "main", status: "LOADED", error: null });
    expect(main.counts).toEqual({ jobs: 3, assets: 3, schedules: 2, sensors: 1 });
    expect(broken.status).toBe("ERROR");
    expect(broken.error.message).toContain("cannot connect to the warehouse at import time");
    expect(broken.error.stack).toContain("broken-location.ts");
  });

  it("reloads a location, and 404s an unknown one with a suggestion", async () => {
    const before = (await h.api("GET", "/api/locations")).body.locations[0].serverId;
    const reloaded = await h.api("POST", "/api/locations/main/reload");
    expect(reloaded.status).toBe(200);
    expect(reloaded.body.location).toMatchObject({ name: "main", status: "LOADED" });
    expect(reloaded.body.location.serverId).not.toBe(before);
    const unknown = await h.api("POST", "/api/locations/mian/reload");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("LOCATION_NOT_FOUND");
    expect(unknown.body.error.message).toContain('did you mean "main"?');
  });

  it("lists jobs and shows a job's op graph with edges", async () => {
    const jobs = await h.api("GET", "/api/locations/main/jobs");
    expect(jobs.body.jobs.map((j: { name: string }) => j.name).sort()).toEqual([
      "failing_job",
      "partitioned_job",
      "sum_job",
    ]);
    const detail = await h.api("GET", "/api/locations/main/jobs/sum_job");
    expect(detail.status).toBe(200);
    const job = detail.body.job;
    expect(job.nodes.map((n: { name: string }) => n.name)).toEqual(["numbers", "total", "report"]);
    expect(job.edges).toEqual([
      { from: "numbers", to: "total", input: "values" },
      { from: "total", to: "report", input: "sum" },
    ]);
    expect(job.description).toBe("Sums a few numbers");
  });

  it("404s an unknown job or location, and 503s the jobs of a location that failed to load", async () => {
    const job = await h.api("GET", "/api/locations/main/jobs/sum_jb");
    expect(job.status).toBe(404);
    expect(job.body.error.code).toBe("JOB_NOT_FOUND");
    expect(job.body.error.message).toContain('did you mean "sum_job"?');
    const location = await h.api("GET", "/api/locations/nowhere/jobs");
    expect(location.status).toBe(404);
    expect(location.body.error.code).toBe("LOCATION_NOT_FOUND");
    const broken = await h.api("GET", "/api/locations/broken/jobs");
    expect(broken.status).toBe(503);
    expect(broken.body.error.code).toBe("LOCATION_UNAVAILABLE");
    expect(broken.body.error.message).toContain("cannot connect to the warehouse");
  });

  it("shows a location whose code server is down as an error while the others keep working", async () => {
    const down = (await h.api("GET", "/api/locations")).body.locations.find(
      (l: { name: string }) => l.name === "down",
    );
    expect(down.status).toBe("ERROR");
    expect(down.error.message).toContain("unreachable");
    const jobs = await h.api("GET", "/api/locations/down/jobs");
    expect(jobs.status).toBe(503);
    expect(jobs.body.error.code).toBe("LOCATION_UNAVAILABLE");
    const launch = await h.api("POST", "/api/runs", { location: "down", job: "sum_job" });
    expect(launch.status).toBe(503);
    expect(launch.body.error.code).toBe("LOCATION_UNAVAILABLE");
    const reloaded = await h.api("POST", "/api/locations/down/reload");
    expect(reloaded.status).toBe(200);
    expect(reloaded.body.location.status).toBe("ERROR");
    expect((await h.api("GET", "/api/locations/main/jobs")).status).toBe(200);
    expect((await h.api("POST", "/api/runs", { location: "main", job: "sum_job" })).status).toBe(201);
  });
});

describe("launching runs", () => {
  it("creates a QUEUED run with job tags, request tags and a RUN_ENQUEUED event", async () => {
    const run = await launch({
      job: "sum_job",
      runConfig: { ops: { numbers: { config: { count: 5 } } } },
      tags: { team: "platform", owner: "ana" },
    });
    expect(run).toMatchObject({ jobName: "sum_job", status: "QUEUED", codeLocation: "main" });
    expect(run.tags).toMatchObject({ team: "platform", owner: "ana" });
    expect(JSON.parse(run.tags["bosun-k8s/config"])).toEqual({
      container_config: { resources: { limits: { cpu: "500m" } } },
    });
    expect(run.runConfig).toEqual({ ops: { numbers: { config: { count: 5 } } } });
    const events = await h.api("GET", `/api/runs/${run.runId}/events`);
    expect(events.body.events.map((e: { type: string }) => e.type)).toEqual(["RUN_ENQUEUED"]);
  });

  it("launches an asset selection and a partition of a partitioned job", async () => {
    const assets = await launch({ assetSelection: ["sales/revenue"] });
    expect(assets.assetSelection).toEqual(["sales/revenue"]);
    const partitioned = await launch({ job: "partitioned_job", partitionKey: "eu" });
    expect(partitioned.partitionKey).toBe("eu");
    expect(partitioned.tags["bosun/partition"]).toBe("eu");
  });

  it("answers an invalid run config with 400 naming each config path, and stores nothing", async () => {
    const before = (await h.api("GET", "/api/runs?limit=1000")).body.runs.length;
    const response = await h.api("POST", "/api/runs", {
      location: "main",
      job: "sum_job",
      runConfig: { ops: { numbers: { config: { count: "three" } } } },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe("INVALID_RUN_CONFIG");
    expect(response.body.error.details.issues).toEqual([
      expect.objectContaining({
        path: "ops.numbers.config.count",
        field: "body.runConfig.ops.numbers.config.count",
      }),
    ]);
    expect((await h.api("GET", "/api/runs?limit=1000")).body.runs.length).toBe(before);
  });

  it("answers a wrong partition with 400 and an unknown job, asset or location with 404", async () => {
    const partition = await h.api("POST", "/api/runs", {
      location: "main",
      job: "partitioned_job",
      partitionKey: "mars",
    });
    expect(partition.status).toBe(400);
    expect(partition.body.error.code).toBe("INVALID_LAUNCH");
    expect(partition.body.error.message).toContain("mars");
    const job = await h.api("POST", "/api/runs", { location: "main", job: "no_such_job" });
    expect(job.status).toBe(404);
    expect(job.body.error.code).toBe("JOB_NOT_FOUND");
    const asset = await h.api("POST", "/api/runs", { location: "main", assetSelection: ["sales/revenu"] });
    expect(asset.status).toBe(404);
    expect(asset.body.error.message).toContain('did you mean "sales/revenue"?');
    const location = await h.api("POST", "/api/runs", { location: "nowhere", job: "sum_job" });
    expect(location.status).toBe(404);
    expect(location.body.error.code).toBe("LOCATION_NOT_FOUND");
  });

  it("rejects bad launch bodies with 400 naming the field", async () => {
    const missing = await h.api("POST", "/api/runs", { job: "sum_job" });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.issues).toEqual([{ field: "body.location", message: "is required" }]);
    const misspelt = await h.api("POST", "/api/runs", { location: "main", job: "sum_job", runconfig: {} });
    expect(misspelt.body.error.details.issues).toEqual([
      { field: "body.runconfig", message: 'unknown field; did you mean "runConfig"?' },
    ]);
    const both = await h.api("POST", "/api/runs", {
      location: "main",
      job: "sum_job",
      assetSelection: ["raw_orders"],
    });
    expect(both.status).toBe(400);
    expect(both.body.error.details.issues[0].field).toBe("body.job");
    const neither = await h.api("POST", "/api/runs", { location: "main" });
    expect(neither.status).toBe(400);
    const tagType = await h.api("POST", "/api/runs", { location: "main", job: "sum_job", tags: { team: 3 } });
    expect(tagType.status).toBe(400);
    expect(tagType.body.error.details.issues[0].field).toBe("body.tags.team");
    const notJson = await fetch(`${h.server.url}/api/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { code: string } }).error.code).toBe("INVALID_INPUT");
  });
});

describe("runs, events and logs", () => {
  it("shows a run, and 404s an unknown run on every run route", async () => {
    const run = await launch({ job: "sum_job" });
    expect((await h.api("GET", `/api/runs/${run.runId}`)).body.run.runId).toBe(run.runId);
    for (const [method, url] of [
      ["GET", "/api/runs/missing-run"],
      ["GET", "/api/runs/missing-run/events"],
      ["GET", "/api/runs/missing-run/events/stream"],
      ["GET", "/api/runs/missing-run/logs"],
      ["GET", "/api/runs/missing-run/logs/total/stdout"],
      ["POST", "/api/runs/missing-run/terminate"],
    ] as const) {
      const response = await h.api(method, url);
      expect(response.status, url).toBe(404);
      expect(response.body.error.code, url).toBe("RUN_NOT_FOUND");
    }
    const reexecute = await h.api("POST", "/api/runs/missing-run/reexecute", { mode: "all" });
    expect(reexecute.status).toBe(404);
  });

  it("pages a finished run's events by afterSeq and filters them by type and step", async () => {
    const run = await launch({ job: "sum_job" });
    expect(await h.execute(run.runId)).toBe("SUCCESS");
    const all = (await h.api("GET", `/api/runs/${run.runId}/events?limit=1000`)).body;
    expect(all.hasMore).toBe(false);
    expect(all.events[0].type).toBe("RUN_ENQUEUED");
    expect(all.events.at(-1).type).toBe("RUN_SUCCESS");
    const paged: number[] = [];
    let afterSeq = 0;
    for (;;) {
      const page = (await h.api("GET", `/api/runs/${run.runId}/events?limit=4&afterSeq=${afterSeq}`)).body;
      paged.push(...page.events.map((e: { seq: number }) => e.seq));
      afterSeq = page.lastSeq;
      if (!page.hasMore) break;
    }
    expect(paged).toEqual(all.events.map((e: { seq: number }) => e.seq));
    const typed = (await h.api("GET", `/api/runs/${run.runId}/events?type=STEP_SUCCESS&type=RUN_SUCCESS`))
      .body;
    expect(
      typed.events.map((e: { type: string; stepKey: string | null }) => `${e.type}:${e.stepKey}`),
    ).toEqual(["STEP_SUCCESS:numbers", "STEP_SUCCESS:total", "STEP_SUCCESS:report", "RUN_SUCCESS:null"]);
    const step = (await h.api("GET", `/api/runs/${run.runId}/events?step=total`)).body;
    expect(step.events.every((e: { stepKey: string }) => e.stepKey === "total")).toBe(true);
    const bad = await h.api("GET", `/api/runs/${run.runId}/events?type=STEP_SUCESS&limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: "query.type[0]",
          message: expect.stringContaining('did you mean "STEP_SUCCESS"?'),
        }),
        expect.objectContaining({ field: "query.limit" }),
      ]),
    );
  });

  it("reads a step's stdout and stderr from an offset", async () => {
    const run = await launch({ job: "sum_job", runConfig: { ops: { numbers: { config: { count: 4 } } } } });
    await h.execute(run.runId);
    expect((await h.api("GET", `/api/runs/${run.runId}/logs`)).body.stepKeys).toContain("total");
    const stdout = (await h.api("GET", `/api/runs/${run.runId}/logs/total/stdout`)).body;
    expect(stdout).toEqual({ data: "total=10\n", nextOffset: 9 });
    const rest = (await h.api("GET", `/api/runs/${run.runId}/logs/total/stdout?offset=6`)).body;
    expect(rest).toEqual({ data: "10\n", nextOffset: 9 });
    const stderr = (await h.api("GET", `/api/runs/${run.runId}/logs/total/stderr`)).body;
    expect(stderr.data).toBe("total wrote to stderr\n");
    const bad = await h.api("GET", `/api/runs/${run.runId}/logs/total/stdin`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0]).toMatchObject({ field: "params.stream" });
  });

  it("cancels a QUEUED run, refuses a finished one, and 409s a started one without a launcher", async () => {
    const queued = await launch({ job: "sum_job" });
    const canceled = await h.api("POST", `/api/runs/${queued.runId}/terminate`);
    expect(canceled.status).toBe(200);
    expect(canceled.body.run.status).toBe("CANCELED");
    const again = await h.api("POST", `/api/runs/${queued.runId}/terminate`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("RUN_ALREADY_FINISHED");
    const started = await launch({ job: "sum_job" });
    await h.db.storage.events.appendEvents([newEvent(started.runId, "RUN_START", { data: {} })]);
    const refused = await h.api("POST", `/api/runs/${started.runId}/terminate`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("CANNOT_TERMINATE");
    expect(refused.body.error.message).toContain("needs a run launcher");
  });

  it("hands termination to the injected terminateRun when there is a launcher", async () => {
    const asked: string[] = [];
    const server = await h.startAnother({
      terminateRun: async (runId) => {
        asked.push(runId);
        await h.db.storage.events.appendEvents([newEvent(runId, "RUN_CANCELING", { data: {} })]);
      },
    });
    const started = await launch({ job: "sum_job" });
    await h.db.storage.events.appendEvents([newEvent(started.runId, "RUN_START", { data: {} })]);
    const response = await h.api("POST", `/api/runs/${started.runId}/terminate`, undefined, server);
    expect(response.status).toBe(200);
    expect(response.body.run.status).toBe("CANCELING");
    expect(asked).toEqual([started.runId]);
  });
});

describe("re-execution", () => {
  it("re-executes from failure: the failed step and what is downstream, linked to its parent", async () => {
    const parent = await launch({ job: "failing_job" });
    expect(await h.execute(parent.runId)).toBe("FAILURE");
    const response = await h.api("POST", `/api/runs/${parent.runId}/reexecute`, { mode: "fromFailure" });
    expect(response.status).toBe(201);
    const child = response.body.run;
    expect(child).toMatchObject({
      status: "QUEUED",
      jobName: "failing_job",
      parentRunId: parent.runId,
      rootRunId: parent.runId,
      stepKeysToExecute: ["explode", "after_explode"],
    });
    expect(child.tags["bosun/parent_run_id"]).toBe(parent.runId);
    // The grandchild keeps the chain's root.
    expect(await h.execute(child.runId)).toBe("FAILURE");
    const grandchild = (await h.api("POST", `/api/runs/${child.runId}/reexecute`, { mode: "all" })).body.run;
    expect(grandchild).toMatchObject({
      parentRunId: child.runId,
      rootRunId: parent.runId,
      stepKeysToExecute: null,
    });
  });

  it("re-executes selected steps in plan order and names an unknown step with a suggestion", async () => {
    const parent = await launch({ job: "sum_job" });
    await h.execute(parent.runId);
    const selected = await h.api("POST", `/api/runs/${parent.runId}/reexecute`, {
      mode: "selected",
      stepKeys: ["report", "total"],
    });
    expect(selected.body.run.stepKeysToExecute).toEqual(["total", "report"]);
    const unknown = await h.api("POST", `/api/runs/${parent.runId}/reexecute`, {
      mode: "selected",
      stepKeys: ["totl"],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.issues).toEqual([
      { field: "body.stepKeys[0]", message: 'no step "totl" in job "sum_job"; did you mean "total"?' },
    ]);
    const nothing = await h.api("POST", `/api/runs/${parent.runId}/reexecute`, { mode: "fromFailure" });
    expect(nothing.status).toBe(409);
    expect(nothing.body.error.code).toBe("NOTHING_TO_REEXECUTE");
    const badMode = await h.api("POST", `/api/runs/${parent.runId}/reexecute`, { mode: "from_failure" });
    expect(badMode.status).toBe(400);
    expect(badMode.body.error.details.issues[0].message).toContain('did you mean "fromFailure"?');
  });

  it("refuses to re-execute a run that has not finished", async () => {
    const queued = await launch({ job: "sum_job" });
    const response = await h.api("POST", `/api/runs/${queued.runId}/reexecute`, { mode: "all" });
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe("RUN_NOT_FINISHED");
  });
});

describe("assets", () => {
  it("lists assets with lineage and shows a slash key's materialization history", async () => {
    const run = await launch({ assetSelection: ["raw_orders", "sales/revenue"] });
    expect(await h.execute(run.runId)).toBe("SUCCESS");
    const list = (await h.api("GET", "/api/assets")).body.assets;
    const revenue = list.find((a: { key: string }) => a.key === "sales/revenue");
    expect(revenue).toMatchObject({ location: "main", upstream: ["raw_orders"] });
    expect(revenue.latestMaterialization.runId).toBe(run.runId);
    expect(list.find((a: { key: string }) => a.key === "raw_orders").downstream).toEqual(["sales/revenue"]);
    for (const url of ["/api/assets/sales/revenue", "/api/assets/sales%2Frevenue"]) {
      const detail = await h.api("GET", url);
      expect(detail.status, url).toBe(200);
      expect(detail.body.key).toBe("sales/revenue");
      expect(detail.body.definitions[0].location).toBe("main");
      expect(detail.body.materializations[0]).toMatchObject({ runId: run.runId, assetKey: "sales/revenue" });
    }
    const unknown = await h.api("GET", "/api/assets/sales/nothing");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("ASSET_NOT_FOUND");
  });

  it("shows partition counts, the status bar, the last failed attempt and filtered pages of partitions", async () => {
    const eu = await launch({ assetSelection: ["regional_sales"], partitionKey: "eu" });
    expect(await h.execute(eu.runId)).toBe("SUCCESS");
    const apac = await launch({ assetSelection: ["regional_sales"], partitionKey: "apac" });
    expect(await h.execute(apac.runId)).toBe("FAILURE");

    const list = (await h.api("GET", "/api/assets")).body.assets;
    const sales = list.find((a: { key: string }) => a.key === "regional_sales");
    expect(sales.partitionCounts).toEqual({ MATERIALIZED: 1, FAILED: 1, IN_PROGRESS: 0, MISSING: 1 });
    expect(sales.lastAttempt).toMatchObject({ runId: apac.runId, partitionKey: "apac", status: "FAILED" });
    expect(sales.lastAttempt.error).toContain("apac warehouse unreachable");
    expect(list.find((a: { key: string }) => a.key === "raw_orders").partitionCounts).toBeNull();

    const detail = (await h.api("GET", "/api/assets/regional_sales")).body;
    expect(detail.lastAttempt).toMatchObject({ runId: apac.runId, status: "FAILED" });
    expect(detail.partitionStatus).toMatchObject({
      total: 3,
      latestKey: "apac",
      counts: { MATERIALIZED: 1, FAILED: 1, IN_PROGRESS: 0, MISSING: 1 },
    });
    expect(detail.partitionStatus.bar.map((s: { firstKey: string }) => s.firstKey)).toEqual([
      "eu",
      "us",
      "apac",
    ]);

    const problems = await h.api("GET", "/api/asset-partitions?asset=regional_sales&status=FAILED,missing");
    expect(problems.status).toBe(200);
    expect(problems.body.partitions.map((p: { key: string; status: string }) => [p.key, p.status])).toEqual([
      ["apac", "FAILED"],
      ["us", "MISSING"],
    ]);
    expect(problems.body.partitions[0].error).toContain("apac warehouse unreachable");
    const first = (await h.api("GET", "/api/asset-partitions?asset=regional_sales&limit=2")).body;
    expect(first.partitions.map((p: { key: string }) => p.key)).toEqual(["apac", "us"]);
    const second = (
      await h.api("GET", `/api/asset-partitions?asset=regional_sales&limit=2&after=${first.nextCursor}`)
    ).body;
    expect(second).toMatchObject({
      partitions: [{ key: "eu", status: "MATERIALIZED", runId: eu.runId }],
      nextCursor: null,
    });

    const misspelt = await h.api("GET", "/api/asset-partitions?asset=regional_sales&status=FAILD");
    expect(misspelt.status).toBe(400);
    expect(JSON.stringify(misspelt.body)).toContain('did you mean \\"FAILED\\"');
    expect((await h.api("GET", "/api/asset-partitions?asset=raw_orders")).status).toBe(400);
    expect((await h.api("GET", "/api/asset-partitions?asset=nothing")).status).toBe(404);
  });
});

describe("schedules, sensors, daemon health and queue", () => {
  it("lists schedules with stored or default status and the next tick in their timezone", async () => {
    const schedules = (await h.api("GET", "/api/schedules")).body.schedules;
    const hourly = schedules.find((s: { name: string }) => s.name === "hourly_sum");
    expect(hourly).toMatchObject({
      location: "main",
      status: "RUNNING",
      cron: "0 * * * *",
      jobName: "sum_job",
    });
    const next = new Date(hourly.nextTickAt);
    expect(next.getUTCMinutes()).toBe(0);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(3_600_000);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    const nightly = schedules.find((s: { name: string }) => s.name === "nightly_sum");
    expect(nightly).toMatchObject({ status: "STOPPED", nextTickAt: null, timezone: "Europe/Paris" });
  });

  it("starts and stops a schedule and a sensor, stored for every replica", async () => {
    const started = await h.api("POST", "/api/schedules/main/nightly_sum/start");
    expect(started.status).toBe(200);
    expect(started.body.schedule.status).toBe("RUNNING");
    expect(started.body.schedule.nextTickAt).not.toBeNull();
    const other = await h.startAnother();
    const seen = (await h.api("GET", "/api/schedules", undefined, other)).body.schedules;
    expect(seen.find((s: { name: string }) => s.name === "nightly_sum").status).toBe("RUNNING");
    expect((await h.api("POST", "/api/schedules/main/nightly_sum/stop")).body.schedule.status).toBe(
      "STOPPED",
    );
    const sensor = await h.api("POST", "/api/sensors/main/orders_sensor/start");
    expect(sensor.body.sensor).toMatchObject({
      name: "orders_sensor",
      status: "RUNNING",
      minimumIntervalSeconds: 60,
    });
    const sensors = (await h.api("GET", "/api/sensors")).body.sensors;
    expect(sensors.map((s: { name: string; status: string }) => `${s.name}:${s.status}`)).toEqual([
      "orders_sensor:RUNNING",
    ]);
    const unknown = await h.api("POST", "/api/schedules/main/hourly_sun/start");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('did you mean "hourly_sum"?');
  });

  it("shows tick history newest first with each failed tick's error", async () => {
    const instigators = h.db.storage.instigators;
    const first = await instigators.claimTick({
      kind: "schedule",
      location: "main",
      name: "hourly_sum",
      tickKey: "2026-01-01T00:00:00.000Z",
      timestamp: Date.parse("2026-01-01T00:00:00Z"),
    });
    await instigators.finishTick(first!.tickId, {
      status: "FAILURE",
      error: {
        className: "Error",
        message: "evaluation blew up",
        stack: "Error: evaluation blew up\n    at x",
        cause: null,
      },
    });
    const second = await instigators.claimTick({
      kind: "schedule",
      location: "main",
      name: "hourly_sum",
      tickKey: "2026-01-01T01:00:00.000Z",
      timestamp: Date.parse("2026-01-01T01:00:00Z"),
    });
    await instigators.finishTick(second!.tickId, { status: "SKIPPED", skipReason: "nothing to do" });
    const ticks = (await h.api("GET", "/api/schedules/main/hourly_sum/ticks")).body.ticks;
    expect(ticks.map((t: { status: string }) => t.status)).toEqual(["SKIPPED", "FAILURE"]);
    expect(ticks[1].error.message).toBe("evaluation blew up");
    const limited = (await h.api("GET", "/api/schedules/main/hourly_sum/ticks?limit=1")).body.ticks;
    expect(limited).toHaveLength(1);
    const listed = (await h.api("GET", "/api/schedules")).body.schedules;
    expect(listed.find((s: { name: string }) => s.name === "hourly_sum").latestTick.status).toBe("SKIPPED");
    const bad = await h.api("GET", "/api/sensors/main/orders_sensor/ticks?limit=many");
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].field).toBe("query.limit");
  });

  it("reports daemon health per type from heartbeats, unhealthy when stale or missing", async () => {
    const now = new Date();
    await h.db.storage.heartbeats.writeHeartbeat({
      daemonType: "RUN_QUEUE",
      daemonId: "d1",
      timestamp: now,
      errors: [],
    });
    await h.db.storage.heartbeats.writeHeartbeat({
      daemonType: "SCHEDULER",
      daemonId: "d1",
      timestamp: new Date(now.getTime() - 10 * 60_000),
      errors: [],
    });
    const health = (await h.api("GET", "/api/daemon/health")).body;
    expect(health.healthy).toBe(false);
    const byType = Object.fromEntries(
      health.daemons.map((d: { daemonType: string; healthy: boolean }) => [d.daemonType, d.healthy]),
    );
    expect(byType).toEqual({
      RUN_QUEUE: true,
      SCHEDULER: false,
      SENSOR: false,
      RUN_MONITOR: false,
      RETENTION: false,
    });
  });

  it("lists the queue: queued runs by priority then oldest first, and runs in progress", async () => {
    const a = await launch({ job: "sum_job" });
    const b = await launch({ job: "sum_job" });
    const urgent = await launch({ job: "sum_job", tags: { "bosun/priority": "5" } });
    const started = await launch({ job: "sum_job" });
    await h.db.storage.events.appendEvents([newEvent(started.runId, "RUN_START", { data: {} })]);
    const queue = (await h.api("GET", "/api/queue")).body;
    const queuedIds = queue.queued.map((r: { runId: string }) => r.runId);
    expect(queuedIds[0]).toBe(urgent.runId);
    expect(queuedIds.indexOf(a.runId)).toBeLessThan(queuedIds.indexOf(b.runId));
    expect(queue.inProgress.map((r: { runId: string }) => r.runId)).toContain(started.runId);
    expect(queue.queuedCount).toBe(queue.queued.length);
  });
});

describe("queue limits", () => {
  it("reports the run coordinator's limits and the limit that holds each queued run", async () => {
    const server = await h.startAnother({
      queueLimits: {
        maxConcurrentRuns: 50,
        tagConcurrencyLimits: [{ key: "lane", limit: 1, perUniqueValue: true }],
      },
    });
    const running = await launch({ job: "sum_job", tags: { lane: "etl" } });
    await h.db.storage.events.appendEvents([newEvent(running.runId, "RUN_START", { data: {} })]);
    const waiting = await launch({ job: "sum_job", tags: { lane: "etl" } });
    const free = await launch({ job: "sum_job", tags: { lane: "reports" } });
    const queue = (await h.api("GET", "/api/queue", undefined, server)).body;
    expect(queue.limits).toEqual({
      maxConcurrentRuns: 50,
      tagConcurrencyLimits: [{ key: "lane", limit: 1, perUniqueValue: true }],
    });
    expect(queue.holds[waiting.runId]).toBe("tag concurrency limit for lane=etl (1) is reached");
    expect(queue.holds[free.runId]).toBeUndefined();
    await server.close();
  });
});

describe("read-only mode", () => {
  it("refuses every mutating call with 403 READ_ONLY and still answers reads", async () => {
    const server = await h.startAnother({ readOnly: true });
    const run = await launch({ job: "sum_job" });
    for (const [method, url, body] of [
      ["POST", "/api/runs", { location: "main", job: "sum_job" }],
      ["POST", "/api/runs", { nonsense: true }],
      ["POST", `/api/runs/${run.runId}/terminate`, undefined],
      ["POST", `/api/runs/${run.runId}/reexecute`, { mode: "all" }],
      ["POST", "/api/locations/main/reload", undefined],
      ["POST", "/api/schedules/main/hourly_sum/stop", undefined],
      ["POST", "/api/sensors/main/orders_sensor/stop", undefined],
      ["DELETE", `/api/runs/${run.runId}`, undefined],
      ["PUT", "/api/anything", {}],
    ] as const) {
      const response = await h.api(method, url, body, server);
      expect(response.status, `${method} ${url}`).toBe(403);
      expect(response.body.error.code).toBe("READ_ONLY");
    }
    expect((await h.api("GET", `/api/runs/${run.runId}`, undefined, server)).body.run.status).toBe("QUEUED");
    expect((await h.api("GET", "/api/server-info", undefined, server)).body.readOnly).toBe(true);
  });
});

describe("OpenAPI document", () => {
  it("lists every route with its parameters and request body", async () => {
    const doc = (await h.api("GET", "/api/openapi.json")).body;
    expect(doc.openapi).toBe("3.1.0");
    const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    expect(operations.sort()).toEqual(
      [
        "GET /api/health",
        "GET /api/ready",
        "GET /api/server-info",
        "GET /api/openapi.json",
        "GET /api/daemon/health",
        "GET /api/queue",
        "GET /api/locations",
        "POST /api/locations/{name}/reload",
        "GET /api/locations/{location}/jobs",
        "GET /api/locations/{location}/jobs/{job}",
        "GET /api/assets",
        "GET /api/assets/{key}",
        "GET /api/asset-partitions",
        "POST /api/runs",
        "GET /api/runs",
        "GET /api/runs/{id}",
        "POST /api/runs/{id}/terminate",
        "POST /api/runs/{id}/reexecute",
        "GET /api/runs/{id}/events",
        "GET /api/runs/{id}/events/stream",
        "GET /api/runs/{id}/logs",
        "GET /api/runs/{id}/logs/{stepKey}/{stream}",
        "GET /api/runs/{id}/logs/{stepKey}/{stream}/stream",
        "GET /api/schedules",
        "GET /api/sensors",
        "POST /api/schedules/{location}/{name}/start",
        "POST /api/schedules/{location}/{name}/stop",
        "GET /api/schedules/{location}/{name}/ticks",
        "POST /api/sensors/{location}/{name}/start",
        "POST /api/sensors/{location}/{name}/stop",
        "GET /api/sensors/{location}/{name}/ticks",
        "GET /api/auth/me",
        "POST /api/users/{subject}/sessions/revoke",
        "GET /api/audit",
        "GET /api/tokens",
        "POST /api/tokens",
        "POST /api/tokens/{id}/revoke",
        "PUT /api/deployments/{deployment}/locations",
        "GET /api/deployments/{deployment}/locations",
        "GET /api/deployments/{deployment}/locations/history",
        "GET /api/agents",
        "POST /api/agent/v1/agents/{agentId}/register",
        "POST /api/agent/v1/agents/{agentId}/heartbeat",
        "POST /api/agent/v1/agents/{agentId}/poll",
        "POST /api/agent/v1/agents/{agentId}/requests/{requestId}/acknowledge",
        "POST /api/agent/v1/agents/{agentId}/requests/{requestId}/complete",
        "POST /api/run/v1/runs/{runId}/events",
        "POST /api/run/v1/runs/{runId}/logs",
        "GET /api/deployments",
        "POST /api/deployments",
        "GET /api/deployments/{name}",
        "POST /api/deployments/{name}/close",
        "GET /api/deployments/{name}/changes",
      ].sort(),
    );
    const list = doc.paths["/api/runs"].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual([
      "status",
      "job",
      "tag",
      "createdAfter",
      "createdBefore",
      "limit",
      "cursor",
    ]);
    const launchBody = doc.paths["/api/runs"].post.requestBody.content["application/json"].schema;
    expect(launchBody.required).toEqual(["location"]);
    expect(doc.paths["/api/assets/{key}"].get.parameters[0]).toMatchObject({ name: "key", in: "path" });
    expect(Object.keys(doc.paths["/api/runs/{id}/events/stream"].get.responses["200"].content)).toEqual([
      "text/event-stream",
    ]);
    expect(doc.components.schemas.Error.required).toEqual(["error"]);
  });
});
