import { describe, expect, it } from "vitest";
import { z } from "zod";
import { asset } from "./asset.ts";
import { assetJob } from "./asset-job.ts";
import { DefinitionError } from "./definition-error.ts";
import { defineDefinitions } from "./definitions.ts";
import { graph, job } from "./job.ts";
import { input, op } from "./op.ts";
import { resource } from "./resource.ts";
import { schedule } from "./schedule.ts";

const one = op({ name: "one", run: async () => 1 });
const plus = op({ name: "plus", ins: { x: input<number>() }, run: async (_ctx, { x }) => x + 1 });

function definitionError(fn: () => unknown): DefinitionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DefinitionError) return error;
    throw error;
  }
  throw new Error("expected a DefinitionError");
}

describe("defineDefinitions", () => {
  it("rejects two jobs with one name, naming it", () => {
    const a = job({ name: "daily", build: () => void one() });
    const b = job({ name: "daily", build: () => void one() });
    const error = definitionError(() => defineDefinitions({ jobs: [a, b] }));
    expect(error.code).toBe("DUPLICATE_NAME");
    expect(error.message).toBe('two jobs are named "daily"');
    expect(error.names).toEqual(["daily"]);
  });

  it("rejects two different ops sharing a name", () => {
    const other = op({ name: "one", run: async () => 2 });
    const a = job({ name: "a", build: () => void one() });
    const b = job({ name: "b", build: () => void other() });
    expect(definitionError(() => defineDefinitions({ jobs: [a, b] })).message).toBe(
      'two different ops are named "one"',
    );
  });

  it("rejects an asset depending on an unknown asset, suggesting the nearest key", () => {
    const orders = asset({ key: "orders", run: async () => [] });
    const revenue = asset({ key: "revenue", deps: ["oders"], run: async () => 0 });
    const error = definitionError(() => defineDefinitions({ assets: [orders, revenue] }));
    expect(error.code).toBe("UNKNOWN_DEPENDENCY");
    expect(error.message).toBe('asset "revenue" depends on unknown asset "oders"; did you mean "orders"?');
    expect(error.names).toEqual(["revenue", "oders"]);
  });

  it("rejects a dependency cycle, listing the path", () => {
    const a = asset({ key: "a", deps: ["c"], run: async () => 0 });
    const b = asset({ key: "b", deps: ["a"], run: async () => 0 });
    const c = asset({ key: "c", deps: ["b"], run: async () => 0 });
    const error = definitionError(() => defineDefinitions({ assets: [a, b, c] }));
    expect(error.code).toBe("DEPENDENCY_CYCLE");
    expect(error.message).toBe("assets form a cycle: a -> c -> b -> a");
  });

  it("rejects an op whose required resource is missing, naming both", () => {
    const query = op({ name: "query", requiredResources: ["warehouse"], run: async () => 1 });
    const error = definitionError(() =>
      defineDefinitions({
        jobs: [job({ name: "q", build: () => void query() })],
        resources: { warehous: 1 },
      }),
    );
    expect(error.code).toBe("MISSING_RESOURCE");
    expect(error.message).toMatch(
      /^op "query" requires resource "warehouse", which is not provided; did you mean "warehous"\?/,
    );
    expect(error.names).toEqual(["query", "warehouse"]);
  });

  it("rejects a schedule whose job is not defined", () => {
    const daily = job({ name: "daily", build: () => void one() });
    const s = schedule({ name: "nightly", cron: "0 2 * * *", job: "dialy" });
    expect(definitionError(() => defineDefinitions({ jobs: [daily], schedules: [s] })).message).toBe(
      'schedule "nightly" targets job "dialy", which is not in these definitions; did you mean "daily"?',
    );
  });

  it("rejects an invalid cron expression at definition time", () => {
    expect(() => schedule({ name: "bad", cron: "every hour", job: "x" })).toThrow(
      /schedule "bad": cron "every hour"/,
    );
  });

  it("rejects calling an op outside a build function", () => {
    expect(() => one()).toThrow(/op "one" was called outside a job's or graph's build function/);
  });

  it("rejects a constant passed where an op output is expected", () => {
    const bad = job({ name: "bad", build: () => void plus({ x: 3 as never }) });
    expect(definitionError(() => defineDefinitions({ jobs: [bad] })).message).toMatch(
      /input "x" of "plus" must be the output of another op/,
    );
  });

  it("refuses a job that leaves an op input unwired, naming the job, the op and the input", () => {
    const double = op({ name: "double", ins: { x: input<number>() }, run: async (_ctx, { x }) => x * 2 });
    // @ts-expect-error -- double takes { x }
    const bad = job({ name: "double_job", build: () => void double() });
    const error = definitionError(() => defineDefinitions({ jobs: [bad] }));
    expect(error.code).toBe("UNWIRED_INPUT");
    expect(error.message).toBe(
      'job "double_job": op "double" needs input "x", which is not wired; pass the output of another op: double({ x: ... })',
    );
    expect(error.names).toEqual(["double_job", "double", "x"]);
  });

  it("names the graph path of an op whose inputs a graph leaves unwired", () => {
    const pair = op({
      name: "pair",
      ins: { a: input<number>(), b: input<number>() },
      run: async (_ctx, { a, b }) => [a, b],
    });
    const half = graph({
      name: "half",
      build: ({ a }: { a: ReturnType<typeof one> }) => pair({ a } as never),
    });
    const bad = job({ name: "pairs", build: () => void half({ a: one() }) });
    const error = definitionError(() => bad.graph());
    expect(error.message).toBe(
      'job "pairs": op "half.pair" needs input "b", which is not wired; pass the output of another op: pair({ b: ... })',
    );
    expect(error.names).toEqual(["pairs", "half.pair", "b"]);
  });

  it("refuses an input the op does not declare, suggesting the nearest name", () => {
    const bad = job({ name: "typo", build: () => void plus({ y: one() } as never) });
    const error = definitionError(() => defineDefinitions({ jobs: [bad] }));
    expect(error.code).toBe("UNKNOWN_INPUT");
    expect(error.message).toBe('job "typo": op "plus" has no input "y"; did you mean "x"? (inputs: x)');
    expect(error.names).toEqual(["typo", "plus", "y"]);
  });

  it("refuses an op whose run takes inputs while it declares no ins", () => {
    const error = definitionError(() =>
      // @ts-expect-error -- without ins, run's inputs are {}
      op({ name: "total", run: async (_ctx, { numbers }: { numbers: number[] }) => numbers.length }),
    );
    expect(error.code).toBe("UNDECLARED_INPUTS");
    expect(error.message).toBe(
      'op "total": run takes inputs as its second parameter but none are declared; declare them with ins: { name: input<T>() }',
    );
  });

  it("requires the resources an op declares by definition, like requiredResources", () => {
    const warehouse = resource({ setup: () => ({ query: (sql: string) => sql.length }) });
    const query = op({
      name: "query",
      resources: { warehouse },
      run: async (ctx) => ctx.resources.warehouse.query("x"),
    });
    expect(query.computation.requiredResources).toEqual(["warehouse"]);
    const error = definitionError(() =>
      defineDefinitions({
        jobs: [job({ name: "q", build: () => void query() })],
        resources: { warehous: warehouse },
      }),
    );
    expect(error.code).toBe("MISSING_RESOURCE");
    expect(error.names).toEqual(["query", "warehouse"]);
  });

  it("names repeated calls of one op name, name_2 ... and prefixes graph nodes", () => {
    const twice = graph({
      name: "twice",
      build: ({ x }: { x: ReturnType<typeof one> }) => plus({ x: plus({ x }) }),
    });
    const j = job({
      name: "j",
      build: () => {
        const x = one();
        twice({ x });
        plus({ x });
      },
    });
    expect(j.graph().nodes.map((n) => n.name)).toEqual(["one", "twice.plus", "twice.plus_2", "plus"]);
  });

  it("passes upstream assets declared as an object under the names given there", () => {
    const rawOrders = asset({ key: ["shop", "raw_orders"], run: async () => [] });
    const customers = asset({ key: "customers", run: async () => [] });
    const joined = asset({
      key: "joined",
      deps: { raw_orders: rawOrders, people: customers },
      run: async (_ctx, { raw_orders, people }) => [raw_orders, people],
    });
    const defs = defineDefinitions({ assets: [rawOrders, customers, joined] });
    expect(defs.assetGraph.assets.get("joined")!.upstream).toEqual({
      raw_orders: "shop/raw_orders",
      people: "customers",
    });
    expect(defs.assetSelectionJob("*").graph().nodes[2]!.inputs).toEqual({
      raw_orders: { kind: "output", node: "shop__raw_orders", output: "result" },
      people: { kind: "output", node: "customers", output: "result" },
    });
  });

  it("loads an asset whose run logs an object literal: inputs are never read from its source text", () => {
    // The function as tsx compiles `async (ctx) => { ctx.log.info("wrote report", { dir }); return dir; }`
    // (whitespace removed): reading its source text took `{dir}` for destructured inputs.
    const makeRun = new Function("dir", 'return async ctx=>{ctx.log.info("wrote report",{dir});return dir}');
    const report = asset({
      key: "report",
      run: makeRun("/tmp/reports") as (ctx: unknown) => Promise<string>,
    });
    const defs = defineDefinitions({ assets: [report] });
    expect(defs.assetGraph.assets.get("report")!.dependsOn).toEqual([]);
    expect(report.computation.inputNames).toEqual([]);
  });

  it("orders an asset after deps given as an array without passing their values", () => {
    const table = asset({ key: "table", run: async () => undefined });
    const view = asset({ key: "view", deps: [table], run: async () => 1 });
    const defs = defineDefinitions({ assets: [table, view] });
    expect(defs.assetGraph.assets.get("view")).toMatchObject({ upstream: {}, dependsOn: ["table"] });
    expect(defs.assetGraph.downstream.get("table")).toEqual(["view"]);
    const [, viewNode] = defs.assetSelectionJob("*").graph().nodes;
    expect(viewNode).toMatchObject({ name: "view", inputs: {}, after: ["table"] });
    // Outside the selection there is nothing to wait for and nothing to load.
    expect(defs.assetSelectionJob("view").graph().nodes).toEqual([
      { name: "view", computation: view.computation, inputs: {} },
    ]);
    expect(defs.assetSelectionJob("+view").assetKeys).toEqual(["table", "view"]);
  });

  it("refuses an asset whose run takes inputs while it declares no deps object", () => {
    const table = asset({ key: "table", run: async () => 1 });
    const error = definitionError(() =>
      // @ts-expect-error -- array deps pass no values, so run's second parameter cannot be typed from them
      asset({ key: "view", deps: [table], run: async (_ctx, { table }: { table: number }) => table }),
    );
    expect(error.code).toBe("UNDECLARED_INPUTS");
    expect(error.message).toBe(
      'asset "view": run takes inputs as its second parameter but none are declared; declare them with deps: { name: upstreamAsset }',
    );
    expect(error.names).toEqual(["view"]);
  });

  it("builds asset jobs from selections with upstream, downstream and groups", () => {
    const a = asset({ key: "a", group: "ingest", run: async () => 1 });
    const b = asset({ key: "b", deps: { a }, run: async () => 1 });
    const c = asset({ key: "c", deps: { b }, group: "reports", run: async () => 1 });
    const d = asset({ key: "d", deps: { a }, run: async () => 1 });
    const defs = defineDefinitions({
      assets: [a, b, c, d],
      jobs: [
        assetJob({ name: "up", selection: "+c" }),
        assetJob({ name: "down", selection: "b+" }),
        assetJob({ name: "grp", selection: ["group:ingest", "group:reports"] }),
      ],
    });
    expect(defs.getJob("up").assetKeys).toEqual(["a", "b", "c"]);
    expect(defs.getJob("down").assetKeys).toEqual(["b", "c"]);
    expect(defs.getJob("grp").assetKeys).toEqual(["a", "c"]);
    // In "down", a is not selected: b loads it from storage.
    expect(defs.getJob("down").graph().nodes[0]!.inputs.a).toEqual({
      kind: "asset",
      assetKey: "a",
      ioManagerKey: "io_manager",
    });
    expect(() => defs.assetSelectionJob("group:ingst")).toThrow(
      'no asset is in group "ingst"; did you mean "ingest"?',
    );
  });

  it("provides a filesystem IO manager by default and keeps given resources", () => {
    const db = resource({ config: z.object({ url: z.string() }), setup: ({ config }) => config.url });
    const defs = defineDefinitions({ resources: { db } });
    expect([...defs.resources.keys()].sort()).toEqual(["db", "io_manager"]);
  });
});
