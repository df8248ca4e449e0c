/**
 * Type-level behaviour of the SDK: what `run` receives and what calls in `build` accept. tsc checks this
 * file (`npx tsc -p tsconfig.json --noEmit`): each `@ts-expect-error` line must be an error and the
 * `expectTypeOf` lines must hold. vitest runs it too, so the definitions below also have to load.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { type AssetDefinition, type AssetInputValues, asset } from "./asset.ts";
import { DefinitionError } from "./definition-error.ts";
import type { OutputHandle } from "./graph-builder.ts";
import { job } from "./job.ts";
import { type InputValues, input, op } from "./op.ts";
import { resource } from "./resource.ts";

interface Order {
  readonly id: number;
  readonly amount: number;
}

describe("op inputs", () => {
  const numbers = op({ name: "numbers", run: async () => [1, 2, 3] });
  const label = op({ name: "label", run: async () => "x" });
  const count = op({ name: "count", run: async () => 1 });

  it("types run's inputs from ins", () => {
    op({
      name: "total",
      ins: { numbers: input<number[]>(), label: input<string>() },
      run: async (_ctx, inputs) => {
        expectTypeOf(inputs).toEqualTypeOf<{ numbers: number[]; label: string }>();
        return inputs.numbers.length;
      },
    });
    // An op without ins receives nothing (and a run taking a second parameter is refused at load).
    expectTypeOf<InputValues<Record<never, never>>>().toEqualTypeOf<Record<never, never>>();
  });

  it("rejects a run annotation that disagrees with ins", () => {
    op({
      name: "total",
      ins: { numbers: input<number[]>() },
      // @ts-expect-error -- ins says number[]
      run: async (_ctx, { numbers }: { numbers: string[] }) => numbers.length,
    });
  });

  it("requires every input when calling an op in build, with handles of the input's type", () => {
    const total = op({ name: "total", ins: { numbers: input<number[]>() }, run: async () => 0 });
    expectTypeOf(total).parameters.toEqualTypeOf<
      [inputs: { numbers: OutputHandle<number[]> | readonly OutputHandle<number>[] }]
    >();
    expectTypeOf(numbers).parameters.toEqualTypeOf<[inputs?: Record<never, never>]>();
    job({
      name: "wiring",
      build: () => {
        total({ numbers: numbers() });
        total({ numbers: [count(), count()] }); // fan-in of the element type
        // @ts-expect-error -- "numbers" is not wired
        total();
        // @ts-expect-error -- "numbers" is not wired
        total({});
        // @ts-expect-error -- a string output is not a number[] input
        total({ numbers: label() });
        // @ts-expect-error -- fan-in elements must be numbers
        total({ numbers: [count(), label()] });
        // @ts-expect-error -- total has no input "numbrs"
        total({ numbrs: numbers() });
      },
    });
  });

  it("gives each output of an op with several outputs its own type", () => {
    const split = op({
      name: "split",
      outs: ["evens", "odds"],
      run: async () => ({ evens: [2], odds: ["1"] }),
    });
    job({
      name: "split_job",
      build: () => {
        const { evens, odds } = split();
        expectTypeOf(evens).toEqualTypeOf<OutputHandle<number[]>>();
        expectTypeOf(odds).toEqualTypeOf<OutputHandle<string[]>>();
      },
    });
  });
});

describe("asset deps", () => {
  const rawOrders = asset({ key: "raw_orders", run: async (): Promise<Order[]> => [{ id: 1, amount: 10 }] });
  const customers = asset({ key: ["shop", "customers"], run: () => new Map<number, string>() });

  it("carries the value run returns on the definition", () => {
    expectTypeOf(rawOrders).toEqualTypeOf<AssetDefinition<Order[]>>();
    expectTypeOf(customers).toEqualTypeOf<AssetDefinition<Map<number, string>>>();
  });

  it("types run's inputs from an object of upstream assets, under the names given there", () => {
    asset({
      key: "revenue",
      deps: { raw_orders: rawOrders, people: customers, legacy: "legacy/table" },
      run: async (_ctx, inputs) => {
        expectTypeOf(inputs).toEqualTypeOf<{
          readonly raw_orders: Order[];
          readonly people: Map<number, string>;
          readonly legacy: unknown;
        }>();
        return inputs.raw_orders.reduce((sum, order) => sum + order.amount, 0);
      },
    });
  });

  it("passes nothing for deps given as an array", () => {
    const deps = [rawOrders, "shop/customers"] as const;
    expectTypeOf<AssetInputValues<typeof deps>>().toEqualTypeOf<Record<never, never>>();
    asset({ key: "after_orders", deps, run: async () => 1 });
  });

  it("rejects a run annotation that disagrees with the upstream asset's value", () => {
    asset({
      key: "revenue",
      deps: { raw_orders: rawOrders },
      // @ts-expect-error -- raw_orders is Order[], not string[]
      run: async (_ctx, { raw_orders }: { raw_orders: string[] }) => raw_orders.length,
    });
    asset({
      key: "revenue",
      deps: { raw_orders: rawOrders },
      // @ts-expect-error -- "orders" is not a declared dep
      run: async (_ctx, { orders }: { orders: Order[] }) => orders.length,
    });
    // At runtime too: UNDECLARED_INPUTS (definitions.test.ts).
    expect(() =>
      asset({
        key: "revenue",
        // @ts-expect-error -- without deps, run receives no inputs
        run: async (_ctx, { raw_orders }: { raw_orders: Order[] }) => raw_orders.length,
      }),
    ).toThrow(DefinitionError);
  });
});

describe("resources", () => {
  const warehouse = resource({
    config: z.object({ url: z.string() }),
    setup: async ({ config }) => ({ url: config.url, query: async (sql: string) => [sql] }),
  });
  const region = resource({ setup: () => "eu" });

  it("types ctx.resources from the declared definitions' setup values", () => {
    op({
      name: "query",
      resources: { warehouse, region },
      requiredResources: ["legacy"],
      run: async (ctx) => {
        expectTypeOf(ctx.resources.warehouse.query).toEqualTypeOf<(sql: string) => Promise<string[]>>();
        expectTypeOf(ctx.resources.region).toEqualTypeOf<string>();
        expectTypeOf(ctx.resources.legacy).toEqualTypeOf<unknown>();
        // @ts-expect-error -- "warehous" is not declared
        return ctx.resources.warehous;
      },
    });
    asset({
      key: "report",
      resources: { warehouse },
      run: async (ctx) => {
        expectTypeOf(ctx.resources.warehouse.url).toEqualTypeOf<string>();
        // @ts-expect-error -- "region" is not declared by this asset
        return ctx.resources.region;
      },
    });
  });

  it("has no resources when none are declared", () => {
    op({
      name: "bare",
      run: async (ctx) => {
        // @ts-expect-error -- nothing declared, nothing set up
        return ctx.resources.warehouse;
      },
    });
  });
});
