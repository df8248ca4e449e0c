import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { asset } from "../definitions/asset.ts";
import { dailyPartitions } from "../definitions/partitions.ts";
import { resource } from "../definitions/resource.ts";
import { materializeAssets } from "./materialize-assets.ts";
import { TestInvocationError } from "./test-invocation-error.ts";

const source = resource({ setup: () => ({ rows: async (): Promise<number[]> => [] }) });

const raw = asset({
  key: "raw",
  resources: { source },
  run: async (ctx) => {
    const rows = await ctx.resources.source.rows();
    ctx.addOutputMetadata({ rows: rows.length });
    return rows;
  },
});
const doubled = asset({
  key: ["derived", "doubled"],
  deps: { raw },
  config: z.object({ factor: z.number().default(2) }),
  run: async (ctx, { raw }) => raw.map((n) => n * ctx.config.factor),
});
const total = asset({
  key: "total",
  deps: { doubled },
  run: async (_ctx, { doubled }) => doubled.reduce((a, b) => a + b, 0),
});

const fakeSource = { rows: async () => [1, 2, 3] };

describe("materializeAssets", () => {
  it("runs assets in dependency order whatever the list's order, passing each its upstream values", async () => {
    const result = await materializeAssets([total, doubled, raw], { resources: { source: fakeSource } });
    expect(result.values).toEqual({ raw: [1, 2, 3], "derived/doubled": [2, 4, 6], total: 12 });
    expect(result.get(total)).toBe(12);
    expectTypeOf(result.get(doubled)).toEqualTypeOf<number[]>();
    expect(result.metadata.raw).toEqual({ rows: 3 });
  });

  it("parses each asset's config by its key", async () => {
    const result = await materializeAssets([raw, doubled], {
      resources: { source: fakeSource },
      config: { "derived/doubled": { factor: 10 } },
    });
    expect(result.get(doubled)).toEqual([10, 20, 30]);
  });

  it("takes the values of upstream assets not in the list from upstream", async () => {
    const result = await materializeAssets([total], { upstream: { "derived/doubled": [5, 6] } });
    expect(result.values).toEqual({ total: 11 });
  });

  it("gives run the partition and its time window", async () => {
    const daily = asset({
      key: "daily",
      partitions: dailyPartitions({ startDate: "2024-05-01" }),
      run: async (ctx) => ({ key: ctx.partitionKey, start: ctx.partitionTimeWindow?.start.toISOString() }),
    });
    const result = await materializeAssets([daily], { partitionKey: "2024-05-02" });
    expect(result.get(daily)).toEqual({ key: "2024-05-02", start: "2024-05-02T00:00:00.000Z" });
  });

  it("lists every problem before running anything: config, a missing resource, a missing upstream value", async () => {
    let ran = false;
    const watched = asset({
      key: "watched",
      run: async () => {
        ran = true;
        return 1;
      },
    });
    const error = await materializeAssets([watched, doubled, total], {
      config: { "derived/doubled": { factr: 3 }, totl: {} },
    }).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TestInvocationError);
    expect((error as TestInvocationError).issues).toEqual([
      { path: "config.totl", message: 'is not an asset materialized here; did you mean "total"?' },
      {
        path: "upstream.raw",
        message:
          'is an input of asset "derived/doubled" (raw): add the asset to the list, or give its value in upstream',
      },
      { path: "config.derived/doubled.factr", message: 'unknown key; did you mean "factor"?' },
    ]);
    expect(ran).toBe(false);

    const missingResource = await materializeAssets([raw]).catch((thrown: unknown) => thrown);
    expect((missingResource as TestInvocationError).issues).toEqual([
      {
        path: "resources.source",
        message: "is used by this asset but was not given; pass resources: { source: <a value or a fake> }",
      },
    ]);
  });

  it("refuses an asset listed twice and a cycle", async () => {
    await expect(materializeAssets([raw, raw])).rejects.toThrow('asset "raw" is listed twice');
    const a = asset({ key: "a", deps: ["b"], run: async () => 1 });
    const b = asset({ key: "b", deps: ["a"], run: async () => 2 });
    await expect(materializeAssets([a, b])).rejects.toThrow("cycle: a -> b -> a");
  });
});
