import { runBosun } from "@bosun/test-support";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CodeLocationClient } from "../src/code-location/code-location-client.ts";
import type { DefinitionsSnapshot } from "../src/code-location/snapshot.ts";
import {
  Health,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "../src/code-server/gen/grpc/health/v1/health_pb.ts";
import { createGrpcCodeLocationClient } from "../src/code-server/grpc-code-location-client.ts";
import {
  BROKEN_LOCATION,
  CODE_SERVER_LOCATION,
  type CodeServerProcess,
  ENGINE_LOCATION,
  QUICKSTART,
  startCodeServerProcess,
} from "./code-server-process.ts";

/** A JSON Schema node, navigated freely in assertions. */
// biome-ignore lint/suspicious/noExplicitAny: assertions walk arbitrary JSON Schema
type SchemaNode = Record<string, any>;

/** A plain gRPC client of the standard health service, as a Kubernetes probe would call it. */
function healthClient(address: string) {
  const sessions = new Http2SessionManager(`http://${address}`);
  const client = createClient(
    Health,
    createGrpcTransport({ baseUrl: `http://${address}`, sessionManager: sessions }),
  );
  return { client, close: () => sessions.abort() };
}

async function snapshotOf(client: CodeLocationClient): Promise<DefinitionsSnapshot> {
  const result = await client.snapshot();
  if (!("snapshot" in result))
    throw new Error(`expected a snapshot, got load error ${result.loadError.message}`);
  return result.snapshot;
}

/** Starts a code server process for the suite and a client for it; stops both afterwards. */
function useCodeServer(args: () => readonly string[], env: Record<string, string> = {}) {
  const handle: { server?: CodeServerProcess; client?: CodeLocationClient } = {};
  beforeAll(async () => {
    handle.server = await startCodeServerProcess(args(), env);
    handle.client = createGrpcCodeLocationClient({ location: "under-test", address: handle.server.address });
  });
  afterAll(async () => {
    handle.client?.close();
    await handle.server?.stop();
  });
  return handle as Required<typeof handle>;
}

describe("a code server for the quickstart example", () => {
  const context = { k8s: { namespace: "analytics", env_vars: ["REGION=eu"] } };
  const h = useCodeServer(() => [
    "-f",
    QUICKSTART,
    "--location-name",
    "quickstart",
    "--container-context",
    JSON.stringify(context),
  ]);

  it("answers ping with a server id that ends with the snapshot's content hash", async () => {
    const { serverId } = await h.client.ping();
    const snapshot = await snapshotOf(h.client);
    expect(serverId).toMatch(/^[0-9a-f]{12}-[0-9a-f]{28}$/);
    expect(snapshot.contentHash.startsWith(serverId.slice(13))).toBe(true);
    expect((await h.client.ping()).serverId).toBe(serverId);
  });

  it("serves the snapshot: jobs with their op graphs, the asset graph, partitions, schedules, origin and container context", async () => {
    const snapshot = await snapshotOf(h.client);
    expect(snapshot.origin).toEqual({ file: QUICKSTART });
    expect(snapshot.containerContext).toEqual(context);
    expect(snapshot.jobs.map((j) => j.name)).toEqual(["numbers_job", "sales_job"]);
    const numbersJob = snapshot.jobs[0]!;
    expect(numbersJob.tags).toEqual({ team: "examples" });
    expect(numbersJob.nodes.find((n) => n.name === "combine")!.inputs).toEqual({
      parts: { fromSteps: ["sum_of", "squares_of", "max_of"] },
      bonus: { fromSteps: ["flaky_fetch"] },
    });
    expect(numbersJob.nodes.find((n) => n.name === "flaky_fetch")!.retryPolicy).toEqual({
      maxRetries: 2,
      delayMs: 200,
    });
    expect(snapshot.jobs[1]!.assetKeys).toEqual([
      "raw_orders",
      "revenue_by_region",
      "reports/revenue_report",
    ]);
    const byKey = new Map(snapshot.assets.map((a) => [a.key, a]));
    expect(byKey.get("raw_orders")!.downstream).toEqual(["revenue_by_region", "daily_orders"]);
    expect(byKey.get("reports/revenue_report")!).toMatchObject({
      upstream: ["revenue_by_region"],
      group: "reports",
      stepKey: "reports__revenue_report",
    });
    expect(byKey.get("daily_orders")!.partitions).toEqual({
      kind: "daily",
      start: "2024-05-01T00:00:00.000Z",
    });
    expect(snapshot.schedules).toEqual([
      {
        name: "hourly_numbers",
        cron: "0 * * * *",
        timezone: "UTC",
        jobName: "numbers_job",
        description: null,
        defaultStatus: "STOPPED",
      },
    ]);
    expect(snapshot.resources.map((r) => r.key)).toEqual(["io_manager"]);
  });

  it("plans a job, an asset selection and a partition", async () => {
    expect(await h.client.executionPlan({ jobName: "numbers_job" })).toEqual({
      ok: true,
      jobName: "numbers_job",
      stepKeys: ["generate_numbers", "sum_of", "squares_of", "max_of", "flaky_fetch", "combine"],
      steps: [
        { key: "generate_numbers", upstream: [] },
        { key: "sum_of", upstream: ["generate_numbers"] },
        { key: "squares_of", upstream: ["generate_numbers"] },
        { key: "max_of", upstream: ["generate_numbers"] },
        { key: "flaky_fetch", upstream: [] },
        { key: "combine", upstream: ["sum_of", "squares_of", "max_of", "flaky_fetch"] },
      ],
      assetKeys: [],
    });
    expect(
      await h.client.executionPlan({ jobName: "__asset_job", assetSelection: ["+revenue_by_region"] }),
    ).toEqual({
      ok: true,
      jobName: "__asset_job",
      stepKeys: ["raw_orders", "revenue_by_region"],
      steps: [
        { key: "raw_orders", upstream: [] },
        { key: "revenue_by_region", upstream: ["raw_orders"] },
      ],
      assetKeys: ["raw_orders", "revenue_by_region"],
    });
    expect(
      await h.client.executionPlan({
        jobName: "__asset_job",
        assetSelection: ["daily_orders"],
        partitionKey: "2024-05-02",
      }),
    ).toMatchObject({ ok: true, stepKeys: ["daily_orders"] });
  });

  it("answers an invalid run config with one issue per path", async () => {
    const result = await h.client.executionPlan({
      jobName: "numbers_job",
      runConfig: { ops: { generate_numbers: { config: { count: -2 } }, sum_off: {} } },
    });
    expect(result).toMatchObject({ ok: false });
    if (result.ok) return;
    expect(result.configIssues).toEqual([
      { path: "ops.sum_off", message: 'no such op in job "numbers_job"; did you mean "sum_of"?' },
      { path: "ops.generate_numbers.config.count", message: expect.stringMatching(/>0|positive|greater/i) },
    ]);
    expect(result.message).toContain("invalid run config");
  });

  it("answers other launch problems with a message and no config issues", async () => {
    expect(await h.client.executionPlan({ jobName: "numbers_jb" })).toEqual({
      ok: false,
      message: 'no job named "numbers_jb"; did you mean "numbers_job"? (jobs: numbers_job, sales_job)',
      configIssues: [],
    });
    expect(
      await h.client.executionPlan({ jobName: "numbers_job", stepKeysToExecute: ["combine", "sum"] }),
    ).toMatchObject({
      ok: false,
      message: expect.stringContaining('no step "sum" in the plan'),
      configIssues: [],
    });
    expect(
      await h.client.executionPlan({ jobName: "__asset_job", assetSelection: ["daily_orders"] }),
    ).toMatchObject({ ok: false, message: expect.stringContaining("is partitioned: choose a partition") });
  });

  it("evaluates its schedule for a tick: one run request with no config", async () => {
    expect(await h.client.evaluateSchedule("hourly_numbers", new Date("2024-05-01T10:00:00Z"))).toEqual({
      ok: true,
      runRequests: [{}],
      skipReason: null,
      cursor: null,
    });
  });

  it("answers the standard gRPC health check with SERVING, and NOT_FOUND for a service it does not have", async () => {
    const health = healthClient(h.server.address);
    try {
      expect((await health.client.check({ service: "" })).status).toBe(ServingStatus.SERVING);
      expect((await health.client.check({ service: "bosun.code_server.v1.CodeServer" })).status).toBe(
        ServingStatus.SERVING,
      );
      const error = await health.client.check({ service: "payments.v1.Payments" }).catch((e: unknown) => e);
      expect(ConnectError.from(error).code).toBe(Code.NotFound);
    } finally {
      health.close();
    }
  });
});

describe("a code server for the engine test location", () => {
  const h = useCodeServer(() => ["-f", ENGINE_LOCATION]);

  it("serves graphs inlined under their graph's name and the configured executors", async () => {
    const snapshot = await snapshotOf(h.client);
    expect(snapshot.containerContext).toBeNull();
    const graphJob = snapshot.jobs.find((j) => j.name === "graph_job")!;
    expect(graphJob.nodes.map((n) => n.name)).toEqual([
      "numbers",
      "double_then_add.sum",
      "double_then_add.double",
      "double_then_add.add_one",
    ]);
    expect(snapshot.jobs.find((j) => j.name === "parallel_job")!.executor).toEqual({
      name: "multiprocess",
      config: { max_concurrent: 2 },
    });
    expect(snapshot.assets.find((a) => a.key === "sales/region_sales")!.partitions).toEqual({
      kind: "static",
      keys: ["north", "south"],
    });
    expect(snapshot.resources.map((r) => r.key)).toEqual(expect.arrayContaining(["io_manager", "memory"]));
  });

  it("plans a subset of steps and a partitioned asset run", async () => {
    expect(
      await h.client.executionPlan({ jobName: "chain_job", stepKeysToExecute: ["step_b", "step_c"] }),
    ).toEqual({
      ok: true,
      jobName: "chain_job",
      stepKeys: ["step_b", "step_c"],
      assetKeys: [],
      steps: [
        { key: "step_a", upstream: [] },
        { key: "step_b", upstream: ["step_a"] },
        { key: "step_c", upstream: ["step_b"] },
      ],
    });
    expect(
      await h.client.executionPlan({
        jobName: "__asset_job",
        assetSelection: ["sales/region_sales", "region_report"],
        partitionKey: "south",
      }),
    ).toEqual({
      ok: true,
      jobName: "__asset_job",
      stepKeys: ["sales__region_sales", "region_report"],
      assetKeys: ["sales/region_sales", "region_report"],
      steps: [
        { key: "sales__region_sales", upstream: [] },
        { key: "region_report", upstream: ["sales__region_sales"] },
      ],
    });
    expect(
      await h.client.executionPlan({
        jobName: "__asset_job",
        assetSelection: ["region_report"],
        partitionKey: "west",
      }),
    ).toMatchObject({
      ok: false,
      message: 'partition "west" of job "__asset_job" expected one of "north", "south"',
    });
  });

  it("answers evaluation of a schedule it does not have with an error naming the schedules it has", async () => {
    expect(await h.client.evaluateSchedule("hourly", new Date())).toMatchObject({
      ok: false,
      error: { className: "UnknownInstigatorError", message: 'no schedule named "hourly" (schedules: none)' },
    });
  });
});

describe("a code server for a location with schedules, sensors and resources", () => {
  const h = useCodeServer(() => ["-f", CODE_SERVER_LOCATION], {
    BOSUN_CONTAINER_CONTEXT: '{"k8s":{"service_account_name":"etl"}}',
  });

  it("reads its container context from BOSUN_CONTAINER_CONTEXT", async () => {
    expect((await snapshotOf(h.client)).containerContext).toEqual({ k8s: { service_account_name: "etl" } });
  });

  it("serves run config schemas that require what has no default, and notes config JSON Schema cannot express", async () => {
    const snapshot = await snapshotOf(h.client);
    const etl = snapshot.jobs.find((j) => j.name === "etl_job")!;
    const schema = etl.runConfigSchema as SchemaNode;
    expect(schema.required).toEqual(["ops", "resources"]);
    expect(schema.properties.ops.required).toEqual(["extract"]);
    expect(schema.properties.resources.required).toEqual(["warehouse"]);
    const stamp = etl.nodes.find((n) => n.name === "stamp")!.configSchema as SchemaNode;
    expect(stamp.properties.at).toEqual({});
    expect(stamp.$comment).toContain("cannot be expressed as JSON Schema");
    expect(snapshot.sensors).toEqual([
      {
        name: "new_files",
        jobName: "etl_job",
        minimumIntervalSeconds: 15,
        description: "One run per new file; the cursor is the last file number seen",
        defaultStatus: "STOPPED",
      },
      {
        name: "quiet_sensor",
        jobName: "etl_job",
        minimumIntervalSeconds: 30,
        description: null,
        defaultStatus: "STOPPED",
      },
    ]);
  });

  it("names every missing required config path of a launch", async () => {
    const result = await h.client.executionPlan({ jobName: "etl_job" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.configIssues.map((i) => i.path)).toEqual([
      "ops.extract.config.table",
      "resources.warehouse.config.url",
    ]);
    expect(
      await h.client.executionPlan({
        jobName: "etl_job",
        runConfig: {
          ops: { extract: { config: { table: "orders" } } },
          resources: { warehouse: { config: { url: "pg://w" } } },
        },
      }),
    ).toEqual({
      ok: true,
      jobName: "etl_job",
      stepKeys: ["extract", "load", "stamp"],
      assetKeys: [],
      steps: [
        { key: "extract", upstream: [] },
        { key: "load", upstream: ["extract"] },
        { key: "stamp", upstream: [] },
      ],
    });
  });

  it("evaluates a schedule for the tick time it is given: a run on a weekday, a skip on Sunday", async () => {
    expect(await h.client.evaluateSchedule("nightly_etl", new Date("2024-05-01T00:00:00Z"))).toEqual({
      ok: true,
      runRequests: [
        {
          runKey: "nightly-2024-05-01T00:00:00.000Z",
          runConfig: { ops: { extract: { config: { table: "orders" } } } },
          tags: { trigger: "nightly" },
        },
      ],
      skipReason: null,
      cursor: null,
    });
    expect(await h.client.evaluateSchedule("nightly_etl", new Date("2024-05-05T00:00:00Z"))).toEqual({
      ok: true,
      runRequests: [],
      skipReason: "no loads on Sundays",
      cursor: null,
    });
  });

  it("answers a schedule that throws, or returns nonsense, with the error and its stack", async () => {
    const thrown = await h.client.evaluateSchedule("broken_schedule", new Date());
    expect(thrown).toMatchObject({
      ok: false,
      error: { className: "Error", message: "the schedule could not reach the calendar service" },
    });
    if (!thrown.ok) expect(thrown.error.stack).toContain("code-server-location.ts");
    expect(await h.client.evaluateSchedule("sloppy_schedule", new Date())).toMatchObject({
      ok: false,
      error: {
        className: "InvalidEvaluationResultError",
        message: expect.stringContaining('runConfg: unknown key; did you mean "runConfig"?'),
      },
    });
  });

  it("evaluates a sensor from a cursor and returns the cursor to store", async () => {
    const first = await h.client.evaluateSensor("new_files", null, null);
    expect(first).toEqual({
      ok: true,
      runRequests: [
        { runKey: "file-1", runConfig: { ops: { extract: { config: { table: "file_1" } } } } },
        { runKey: "file-2", runConfig: { ops: { extract: { config: { table: "file_2" } } } } },
      ],
      skipReason: null,
      cursor: "2",
    });
    expect(await h.client.evaluateSensor("new_files", "3", "file-3")).toEqual({
      ok: true,
      runRequests: [],
      skipReason: "no new files",
      cursor: "3",
    });
    expect(await h.client.evaluateSensor("quiet_sensor", "keep-me", null)).toEqual({
      ok: true,
      runRequests: [],
      skipReason: null,
      cursor: "keep-me",
    });
  });
});

describe("a code server whose code throws at import", () => {
  const h = useCodeServer(() => ["-f", BROKEN_LOCATION, "--location-name", "broken"]);

  it("stays up and serves the load error with the user's message and a stack into their file", async () => {
    const result = await h.client.snapshot();
    expect("loadError" in result).toBe(true);
    if (!("loadError" in result)) return;
    expect(result.loadError.className).toBe("CodeLoadError");
    expect(result.loadError.message).toBe(
      `cannot load code location from ${BROKEN_LOCATION}: the warehouse credentials are missing: set WAREHOUSE_PASSWORD`,
    );
    expect(result.loadError.cause).toMatchObject({
      className: "Error",
      message: "the warehouse credentials are missing: set WAREHOUSE_PASSWORD",
    });
    expect(result.loadError.cause!.stack).toContain("code-server-broken-location.ts");
    expect(h.server.stderr()).toContain("the code failed to load; serving the error");
  });

  it("still answers ping and the health check (SERVING), and reports the load error for plans and evaluations", async () => {
    expect((await h.client.ping()).serverId).toMatch(/^[0-9a-f]{12}-load-error-/);
    const health = healthClient(h.server.address);
    try {
      expect((await health.client.check({ service: "" })).status).toBe(ServingStatus.SERVING);
    } finally {
      health.close();
    }
    expect(await h.client.executionPlan({ jobName: "anything" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("the code location failed to load: cannot load code location"),
    });
    expect(await h.client.evaluateSensor("any", null, null)).toMatchObject({
      ok: false,
      error: { className: "CodeLoadError" },
    });
  });
});

describe("a code server whose container context misspells a Kubernetes key", () => {
  const context = { k8s: { run_k8s_config: { pod_spec_config: { nodeSelectr: { disktype: "ssd" } } } } };
  const h = useCodeServer(() => [
    "-f",
    ENGINE_LOCATION,
    "--location-name",
    "engine",
    "--container-context",
    JSON.stringify(context),
  ]);

  it("serves a definitions error naming the path and the nearest key, and plans nothing", async () => {
    const result = await h.client.snapshot();
    if (!("loadError" in result)) throw new Error("expected a load error, got a snapshot");
    expect(result.loadError.className).toBe("CodeLoadError");
    expect(result.loadError.message).toBe(
      `cannot load code location from ${ENGINE_LOCATION}: container_context.k8s: \`run_k8s_config.pod_spec_config.nodeSelectr\`: unknown field; did you mean \`nodeSelector\`?`,
    );
    expect(result.loadError.cause).toMatchObject({ className: "DefinitionError" });
    expect(await h.client.executionPlan({ jobName: "fan_job" })).toMatchObject({
      ok: false,
      message: expect.stringContaining("did you mean `nodeSelector`?"),
    });
  });
});

describe("stopping a code server", () => {
  it("stops on the Shutdown call, ending health watches with NOT_SERVING, and the process exits 0", async () => {
    const server = await startCodeServerProcess(["-f", CODE_SERVER_LOCATION]);
    const client = createGrpcCodeLocationClient({ location: "stopping", address: server.address });
    const health = healthClient(server.address);
    try {
      const seen: ServingStatus[] = [];
      const watching = (async () => {
        for await (const response of health.client.watch({ service: "" })) seen.push(response.status);
      })();
      while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      await client.shutdown();
      await watching;
      expect(seen).toEqual([ServingStatus.SERVING, ServingStatus.NOT_SERVING]);
      expect(await server.exited).toEqual({ code: 0, signal: null });
      expect(server.stderr()).toContain("code server: stopped");
      await expect(client.ping()).rejects.toThrow(
        `code location "stopping" at ${server.address} is unreachable`,
      );
    } finally {
      client.close();
      health.close();
      await server.stop();
    }
  });

  it("stops on SIGTERM and exits 0", async () => {
    const server = await startCodeServerProcess(["-f", QUICKSTART]);
    try {
      server.child.kill("SIGTERM");
      expect(await server.exited).toEqual({ code: 0, signal: null });
    } finally {
      await server.stop();
    }
  });

  it("refuses a container context that is not a JSON object, and a bad port, with exit code 2", async () => {
    const badContext = await runBosun(["api", "grpc", "-f", QUICKSTART, "--container-context", "[1,2]"], {});
    expect(badContext.code).toBe(2);
    expect(badContext.stderr).toContain(
      'error: --container-context must be a JSON object (e.g. {"k8s": {"namespace": "data"}}): got a list',
    );
    const badPort = await runBosun(["api", "grpc", "-f", QUICKSTART, "--port", "http"], {});
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('error: --port must be an integer from 0 to 65535, got "http"');
  });
});
