import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { input, op } from "../definitions/op.ts";
import { resource } from "../definitions/resource.ts";
import { invokeOp } from "./invoke-op.ts";
import { TestInvocationError } from "./test-invocation-error.ts";

interface Warehouse {
  query(sql: string): Promise<number[]>;
}
const warehouse = resource({ setup: (): Warehouse => ({ query: async () => [] }) });

const sumOf = op({
  name: "sum_of",
  ins: { numbers: input<number[]>() },
  run: async (_ctx, { numbers }) => numbers.reduce((a, b) => a + b, 0),
});
const generate = op({
  name: "generate",
  config: z.object({ count: z.number().int().positive().default(3) }),
  run: async (ctx) => Array.from({ length: ctx.config.count }, (_, i) => i + 1),
});
const loadRows = op({
  name: "load_rows",
  resources: { warehouse },
  config: z.object({ table: z.string() }),
  run: async (ctx) => {
    ctx.log.info("querying", { table: ctx.config.table });
    return ctx.resources.warehouse.query(`select * from ${ctx.config.table}`);
  },
});

/** The error `call` throws, which must be a TestInvocationError. */
async function invocationError(call: () => Promise<unknown>): Promise<TestInvocationError> {
  const error = await call().then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TestInvocationError);
  return error as TestInvocationError;
}

describe("invokeOp", () => {
  it("runs an op with its inputs and returns what run returns, typed", async () => {
    const total = await invokeOp(sumOf, { inputs: { numbers: [1, 2, 3, 4] } });
    expect(total).toBe(10);
    expectTypeOf(total).toEqualTypeOf<number>();
  });

  it("parses config with the op's zod schema, defaults included", async () => {
    expect(await invokeOp(generate)).toEqual([1, 2, 3]);
    expect(await invokeOp(generate, { config: { count: 2 } })).toEqual([1, 2]);
  });

  it("gives run the resources it was handed instead of setting them up", async () => {
    const asked: string[] = [];
    const fake: Warehouse = {
      query: async (sql) => {
        asked.push(sql);
        return [7, 8];
      },
    };
    const messages: string[] = [];
    const rows = await invokeOp(loadRows, {
      config: { table: "orders" },
      resources: { warehouse: fake },
      log: { ...silentLogger(), info: (message) => messages.push(message) },
    });
    expect(rows).toEqual([7, 8]);
    expect(asked).toEqual(["select * from orders"]);
    expect(messages).toEqual(["querying"]);
  });

  it("refuses config the schema refuses, naming the field and the nearest key, before run is called", async () => {
    const error = await invocationError(() => invokeOp(generate, { config: { cont: 2 } as never }));
    expect(error.message).toContain('op "generate" cannot run');
    expect(error.issues).toEqual([{ path: "config.cont", message: 'unknown key; did you mean "count"?' }]);
    const negative = await invocationError(() => invokeOp(generate, { config: { count: -1 } }));
    expect(negative.issues[0]?.path).toBe("config.count");
  });

  it("names a resource the op uses that was not given, and the nearest given key", async () => {
    const error = await invocationError(() =>
      invokeOp(loadRows, { config: { table: "orders" }, resources: { warehose: {} } as never }),
    );
    expect(error.issues).toEqual([
      {
        path: "resources.warehouse",
        message:
          'is used by this op but was not given; did you mean "warehose"?; pass resources: { warehouse: <a value or a fake> }',
      },
    ]);
  });

  it("names an input that was not given, and one the op does not take", async () => {
    const error = await invocationError(() => invokeOp(sumOf, { inputs: { numbrs: [1] } as never }));
    expect(error.issues).toEqual([
      { path: "inputs.numbers", message: "is declared in ins but was not given" },
      { path: "inputs.numbrs", message: 'is not an input of this op; did you mean "numbers"?' },
    ]);
  });

  it("throws what run throws, unchanged", async () => {
    const failing = op({
      name: "failing",
      run: async () => {
        throw new RangeError("boom");
      },
    });
    await expect(invokeOp(failing)).rejects.toThrow(new RangeError("boom"));
  });

  it("types inputs, config and resources from the op's definition", () => {
    // Compile-time checks: each line below is a type error the compiler must report.
    const typeErrors = () => {
      // @ts-expect-error numbers is number[], not string[]
      void invokeOp(sumOf, { inputs: { numbers: ["1"] } });
      // @ts-expect-error count is a number
      void invokeOp(generate, { config: { count: "2" } });
      // @ts-expect-error the warehouse resource has no such shape
      void invokeOp(loadRows, { config: { table: "t" }, resources: { warehouse: { query: 1 } } });
    };
    expect(typeErrors).toBeTypeOf("function");
  });
});

function silentLogger() {
  const none = () => undefined;
  return { debug: none, info: none, warning: none, error: none, critical: none, log: none };
}
