import {
  asset,
  assetJob,
  dailyPartitions,
  defineDefinitions,
  inProcessExecutor,
  input,
  job,
  op,
  resource,
  schedule,
  sensor,
} from "bosun";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { canonicalHash } from "./canonical-json.ts";
import { buildDefinitionsSnapshot } from "./definitions-snapshot.ts";

/** A JSON Schema node, navigated freely in assertions. */
// biome-ignore lint/suspicious/noExplicitAny: assertions walk arbitrary JSON Schema
type SchemaNode = Record<string, any>;

const origin = { file: "/code/defs.ts" };

/** Builds a fresh set of definitions each call, so two calls share no objects. */
function sampleDefinitions(options: { description?: string } = {}) {
  const numbers = op({
    name: "numbers",
    description: options.description ?? "makes numbers",
    config: z.object({ count: z.number().int().positive().default(3) }),
    run: async (ctx) => Array.from({ length: ctx.config.count }, (_, i) => i),
  });
  const total = op({
    name: "total",
    retryPolicy: { maxRetries: 2, delayMs: 50 },
    ins: { parts: input<unknown[]>() },
    run: async (_ctx, { parts }) => parts.length,
  });
  const source = op({
    name: "source",
    config: z.object({ table: z.string() }),
    requiredResources: ["db"],
    run: async (ctx) => ctx.config.table.length,
  });
  const sumJob = job({
    name: "sum_job",
    tags: { "bosun-k8s/config": { container_config: { resources: { limits: { cpu: "500m" } } } } },
    executor: inProcessExecutor(),
    build: () => {
      total({ parts: [numbers(), source()] });
    },
  });
  const raw = asset({ key: "raw", group: "ingest", metadata: { owner: "data" }, run: async () => [1] });
  const daily = asset({
    key: ["reports", "daily"],
    deps: { raw },
    codeVersion: "v2",
    partitions: dailyPartitions({ startDate: "2024-05-01" }),
    run: async (_ctx, { raw }) => raw.length,
  });
  const db = resource({
    description: "the database",
    config: z.object({ url: z.string() }),
    setup: ({ config }) => config.url,
  });
  return defineDefinitions({
    jobs: [sumJob, assetJob({ name: "daily_job", selection: "+reports/daily" })],
    assets: [raw, daily],
    resources: { db, plain: 42 },
    schedules: [schedule({ name: "hourly", cron: "0 * * * *", job: sumJob, timezone: "Europe/Paris" })],
    sensors: [sensor({ name: "watch", job: sumJob, minimumIntervalSeconds: 10, evaluate: () => ({}) })],
  });
}

describe("buildDefinitionsSnapshot", () => {
  it("gives the same content hash for the same code loaded twice, and the hash covers the body", () => {
    const first = buildDefinitionsSnapshot(sampleDefinitions(), { origin });
    const second = buildDefinitionsSnapshot(sampleDefinitions(), { origin });
    expect(second.contentHash).toBe(first.contentHash);
    const { contentHash, ...body } = first;
    expect(contentHash).toBe(canonicalHash(body));
    expect(contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes the content hash when anything in the code changes", () => {
    const base = buildDefinitionsSnapshot(sampleDefinitions(), { origin });
    const edited = buildDefinitionsSnapshot(sampleDefinitions({ description: "makes more numbers" }), {
      origin,
    });
    const moved = buildDefinitionsSnapshot(sampleDefinitions(), { origin: { file: "/code/other.ts" } });
    const withContext = buildDefinitionsSnapshot(sampleDefinitions(), {
      origin,
      containerContext: { k8s: { namespace: "data" } },
    });
    expect(new Set([base, edited, moved, withContext].map((s) => s.contentHash)).size).toBe(4);
  });

  it("is plain JSON: it survives a JSON round trip unchanged", () => {
    const snapshot = buildDefinitionsSnapshot(sampleDefinitions(), { origin, containerContext: { k8s: {} } });
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });

  it("describes jobs with their op graph, config schemas, executor and tags", () => {
    const snapshot = buildDefinitionsSnapshot(sampleDefinitions(), { origin });
    const sumJob = snapshot.jobs.find((j) => j.name === "sum_job")!;
    expect(sumJob.executor).toEqual({ name: "in_process", config: {} });
    expect(sumJob.tags).toEqual({
      "bosun-k8s/config": { container_config: { resources: { limits: { cpu: "500m" } } } },
    });
    expect(sumJob.nodes.map((n) => n.name)).toEqual(["numbers", "source", "total"]);
    const totalNode = sumJob.nodes.find((n) => n.name === "total")!;
    expect(totalNode.inputs).toEqual({ parts: { fromSteps: ["numbers", "source"] } });
    expect(totalNode.retryPolicy).toEqual({ maxRetries: 2, delayMs: 50 });
    expect(totalNode.configSchema).toBeNull();
    expect(sumJob.nodes.find((n) => n.name === "numbers")!.configSchema).toEqual({
      type: "object",
      properties: {
        count: { default: 3, type: "integer", exclusiveMinimum: 0, maximum: Number.MAX_SAFE_INTEGER },
      },
      additionalProperties: false,
    });
  });

  it("gives each job a run config schema for ops, resources and execution, requiring what has no default", () => {
    const snapshot = buildDefinitionsSnapshot(sampleDefinitions(), { origin });
    const schema = snapshot.jobs.find((j) => j.name === "sum_job")!.runConfigSchema as SchemaNode;
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.required).toEqual(["ops", "resources"]);
    expect(Object.keys(schema.properties)).toEqual(["ops", "resources", "execution"]);
    expect(schema.properties.ops.required).toEqual(["source"]);
    expect(schema.properties.ops.properties.source).toEqual({
      type: "object",
      additionalProperties: false,
      properties: {
        config: {
          type: "object",
          properties: { table: { type: "string" } },
          required: ["table"],
          additionalProperties: false,
        },
      },
      required: ["config"],
    });
    // `numbers` has defaults for everything: its entry is optional.
    expect(schema.properties.ops.properties.numbers.required).toBeUndefined();
    expect(schema.properties.ops.properties.total).toEqual({
      type: "object",
      additionalProperties: false,
      properties: {},
    });
    expect(schema.properties.resources.required).toEqual(["db"]);
    expect(Object.keys(schema.properties.resources.properties)).toEqual(["db", "plain", "io_manager"]);
    expect(schema.properties.execution.properties.config.type).toBe("object");
    // daily_job does not use `db`: it may configure it but need not.
    const daily = snapshot.jobs.find((j) => j.name === "daily_job")!.runConfigSchema as SchemaNode;
    expect(daily.required).toBeUndefined();
    expect(daily.properties.resources.required).toBeUndefined();
    expect(Object.keys(daily.properties.resources.properties)).toEqual(["db", "plain", "io_manager"]);
  });

  it("describes the asset graph both ways, with partitions, groups and code versions", () => {
    const snapshot = buildDefinitionsSnapshot(sampleDefinitions(), { origin });
    expect(snapshot.assets).toEqual([
      {
        key: "raw",
        stepKey: "raw",
        group: "ingest",
        description: null,
        upstream: [],
        downstream: ["reports/daily"],
        metadata: { owner: "data" },
        partitions: null,
        codeVersion: null,
        ioManagerKey: "io_manager",
      },
      {
        key: "reports/daily",
        stepKey: "reports__daily",
        group: "default",
        description: null,
        upstream: ["raw"],
        downstream: [],
        metadata: {},
        partitions: { kind: "daily", start: "2024-05-01T00:00:00.000Z" },
        codeVersion: "v2",
        ioManagerKey: "io_manager",
      },
    ]);
    const dailyJob = snapshot.jobs.find((j) => j.name === "daily_job")!;
    expect(dailyJob.assetKeys).toEqual(["raw", "reports/daily"]);
    expect(dailyJob.partitions).toEqual({ kind: "daily", start: "2024-05-01T00:00:00.000Z" });
    expect(dailyJob.nodes.find((n) => n.name === "reports__daily")!.inputs).toEqual({
      raw: { fromSteps: ["raw"] },
    });
  });

  it("shows an asset's array deps as lineage and as steps its node waits for, with no input", () => {
    const table = asset({ key: "table", run: async () => undefined });
    const view = asset({ key: "view", deps: [table], run: async () => 1 });
    const snapshot = buildDefinitionsSnapshot(
      defineDefinitions({ assets: [table, view], jobs: [assetJob({ name: "views", selection: "*" })] }),
      { origin },
    );
    expect(snapshot.assets.find((a) => a.key === "view")!.upstream).toEqual(["table"]);
    expect(snapshot.assets.find((a) => a.key === "table")!.downstream).toEqual(["view"]);
    const viewNode = snapshot.jobs.find((j) => j.name === "views")!.nodes.find((n) => n.name === "view")!;
    expect(viewNode.inputs).toEqual({});
    expect(viewNode.after).toEqual(["table"]);
    expect(
      snapshot.jobs.find((j) => j.name === "views")!.nodes.find((n) => n.name === "table"),
    ).not.toHaveProperty("after");
  });

  it("lists schedules, sensors and resources, and carries the container context as given", () => {
    const context = { k8s: { namespace: "data", env_vars: ["A=1"] } };
    const snapshot = buildDefinitionsSnapshot(sampleDefinitions(), { origin, containerContext: context });
    expect(snapshot.origin).toEqual(origin);
    expect(snapshot.containerContext).toEqual(context);
    expect(snapshot.schedules).toEqual([
      {
        name: "hourly",
        cron: "0 * * * *",
        timezone: "Europe/Paris",
        jobName: "sum_job",
        description: null,
        defaultStatus: "STOPPED",
      },
    ]);
    expect(snapshot.sensors).toEqual([
      {
        name: "watch",
        jobName: "sum_job",
        minimumIntervalSeconds: 10,
        description: null,
        defaultStatus: "STOPPED",
      },
    ]);
    expect(snapshot.resources.find((r) => r.key === "db")).toEqual({
      key: "db",
      description: "the database",
      configSchema: {
        type: "object",
        properties: { url: { type: "string" } },
        required: ["url"],
        additionalProperties: false,
      },
    });
    expect(snapshot.resources.find((r) => r.key === "plain")).toEqual({
      key: "plain",
      description: null,
      configSchema: null,
    });
  });

  it("shows config that JSON Schema cannot express as {} with a note, keeping the rest", () => {
    const stamp = op({
      name: "stamp",
      config: z.object({ at: z.date(), label: z.string() }),
      run: async () => 1,
    });
    const shout = op({
      name: "shout",
      config: z.string().transform((s) => s.toUpperCase()),
      run: async () => 1,
    });
    const definitions = defineDefinitions({
      jobs: [
        job({
          name: "odd_job",
          build: () => {
            stamp();
            shout();
          },
        }),
      ],
    });
    const nodes = buildDefinitionsSnapshot(definitions, { origin }).jobs[0]!.nodes;
    const stampSchema = nodes.find((n) => n.name === "stamp")!.configSchema as SchemaNode;
    expect(stampSchema.properties).toEqual({ at: {}, label: { type: "string" } });
    expect(stampSchema.$comment).toMatch(/cannot be expressed as JSON Schema.*Date/);
    // Input side of a transform: the string the user writes.
    expect(nodes.find((n) => n.name === "shout")!.configSchema).toEqual({ type: "string" });
  });
});
