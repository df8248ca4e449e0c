/**
 * Unit tests of the quickstart's assets and ops with `bosun/testing`: no `bosun dev`, no run, no
 * database. docs/testing.md walks through this file.
 */
import { invokeOp, materializeAssets, TestInvocationError } from "bosun/testing";
import { describe, expect, it } from "vitest";
import { combine, generateNumbers, rawOrders, revenueByRegion, sumOf } from "./definitions.ts";

describe("the quickstart's assets", () => {
  it("revenue_by_region sums the amounts of each region's orders", async () => {
    // raw_orders is not materialized: its value is given, as if an earlier run had stored it.
    const result = await materializeAssets([revenueByRegion], {
      upstream: {
        raw_orders: [
          { orderId: 1, customer: "ann", region: "north", amount: 10, orderedAt: "2024-05-01" },
          { orderId: 2, customer: "bob", region: "south", amount: 5, orderedAt: "2024-05-01" },
          { orderId: 3, customer: "cid", region: "north", amount: 2.5, orderedAt: "2024-05-02" },
        ],
      },
    });
    expect(result.get(revenueByRegion)).toEqual({ north: 12.5, south: 5 });
    expect(result.metadata.revenue_by_region).toMatchObject({ regions: 2, total: 17.5 });
  });

  it("raw_orders reads the example's CSV, and revenue_by_region covers every region in it", async () => {
    const result = await materializeAssets([revenueByRegion, rawOrders]);
    const orders = result.get(rawOrders);
    expect(orders.length).toBeGreaterThan(0);
    expect(result.metadata.raw_orders).toMatchObject({ rows: orders.length });
    expect(Object.keys(result.get(revenueByRegion)).sort()).toEqual(
      [...new Set(orders.map((order) => order.region))].sort(),
    );
  });
});

describe("the quickstart's ops", () => {
  it("generate_numbers counts to its configured count, 5 by default", async () => {
    expect(await invokeOp(generateNumbers, { config: { count: 3 } })).toEqual([1, 2, 3]);
    expect(await invokeOp(generateNumbers)).toHaveLength(5);
  });

  it("generate_numbers refuses a count that is not positive, as a run would", async () => {
    const error = await invokeOp(generateNumbers, { config: { count: 0 } }).catch((thrown) => thrown);
    expect(error).toBeInstanceOf(TestInvocationError);
    expect((error as TestInvocationError).issues.map((issue) => issue.path)).toEqual(["config.count"]);
  });

  it("sum_of and combine add up their inputs", async () => {
    expect(await invokeOp(sumOf, { inputs: { numbers: [1, 2, 3] } })).toBe(6);
    const logged: unknown[] = [];
    const total = await invokeOp(combine, {
      inputs: { parts: [6, 14, 3], bonus: 100 },
      log: { ...quietLog, info: (message, fields) => logged.push({ message, fields }) },
    });
    expect(total).toBe(123);
    expect(logged).toEqual([{ message: "combined", fields: { parts: 3, total: 123 } }]);
  });
});

const quietLog = {
  debug: () => undefined,
  info: () => undefined,
  warning: () => undefined,
  error: () => undefined,
  critical: () => undefined,
  log: () => undefined,
};
