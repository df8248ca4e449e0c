import { didYouMean } from "@bosun/core";
import { type ConfigIssue, parseConfig } from "../definitions/config-parsing.ts";
import type { OpDefinition } from "../definitions/op.ts";
import { declaredResources, type TestRunOptions, testContext } from "./test-context.ts";
import { TestInvocationError } from "./test-invocation-error.ts";

/** Options of `invokeOp`: the op's inputs and config, typed from its definition, and its resources. */
export type InvokeOpOptions<I, C, R> = TestRunOptions & {
  /** Each declared input's value (`ins`), as the upstream ops would have returned them. */
  readonly inputs?: I;
  /** What the run config would hold at `ops.<step key>.config`; parsed with the op's zod schema. */
  readonly config?: C;
  /**
   * What `ctx.resources` holds, by key, typed from the op's `resources`: a fake, a stub, a client of a
   * test database. Every key the op declares must be given.
   */
  readonly resources?: { readonly [K in keyof R]?: R[K] };
};

/**
 * Runs one op's `run` in this process, without a job, a run or a database: the inputs given as values,
 * config parsed by the op's zod schema as a run parses it (defaults applied, unknown keys refused), and
 * resources replaced by the values given. Returns what `run` returns (the object of all outputs for an
 * op with several). Throws `TestInvocationError` listing every problem (config, a missing input or
 * resource) before `run` is called; what `run` throws is thrown as is.
 *
 * @example
 * import { invokeOp } from "bosun/testing";
 * expect(await invokeOp(sumOf, { inputs: { numbers: [1, 2, 3] } })).toBe(6);
 * expect(await invokeOp(loadOrders, { config: { day: "2024-05-01" }, resources: { warehouse: fakeWarehouse } })).toHaveLength(2);
 */
export async function invokeOp<I extends Record<string, unknown>, O, C, R>(
  op: OpDefinition<I, O, readonly string[] | undefined, C, R>,
  options: InvokeOpOptions<I, C, R> = {},
): Promise<O> {
  const { computation } = op;
  const issues: ConfigIssue[] = [];
  const given = (options.inputs ?? {}) as Record<string, unknown>;
  for (const name of computation.inputNames)
    if (!(name in given))
      issues.push({ path: `inputs.${name}`, message: "is declared in ins but was not given" });
  for (const name of Object.keys(given))
    if (!computation.inputNames.includes(name))
      issues.push({
        path: `inputs.${name}`,
        message: `is not an input of this op${didYouMean(name, computation.inputNames)}${computation.inputNames.length === 0 ? " (it takes none)" : ""}`,
      });
  const config = parseConfig(computation.configSchema, options.config, "config", issues);
  const resources = declaredResources(
    computation,
    options.resources as Readonly<Record<string, unknown>> | undefined,
    issues,
  );
  if (issues.length > 0) throw new TestInvocationError(`op "${computation.opName}"`, issues);
  const { ctx } = testContext(computation, config, resources, options);
  return (await computation.run(ctx, given)) as O;
}
