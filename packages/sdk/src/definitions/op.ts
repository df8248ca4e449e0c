import type { JsonValue } from "@bosun/core";
import type { z } from "zod";
import { assertValidName } from "./definition-error.ts";
import { invokeComputation, type OutputHandle } from "./graph-builder.ts";
import { DEFAULT_IO_MANAGER_KEY, DEFAULT_OUTPUT, type NodeComputation } from "./graph-model.ts";
import type { OpContext } from "./op-context.ts";
import type { RetryPolicy } from "./retry-policy.ts";

type ConfigOf<S> = S extends z.ZodType ? z.output<S> : undefined;

/** Handles accepted for each input when an op is called inside `build`. */
export type InputHandles<I> = { [K in keyof I]: OutputHandle<I[K]> | OutputHandle[] };

export type OpResultHandles<O, Outs extends readonly string[] | undefined> = Outs extends readonly string[]
  ? { [K in Outs[number]]: OutputHandle<O extends Record<K, infer V> ? V : unknown> }
  : OutputHandle<Awaited<O>>;

/** Options of `op`. */
export interface OpOptions<
  S extends z.ZodType | undefined,
  I extends Record<string, unknown>,
  O,
  Outs extends readonly string[] | undefined,
> {
  /** Unique within the code location; becomes the step key when called once. */
  readonly name: string;
  readonly description?: string;
  /** zod schema of the op's config, read from the run config at `ops.<step key>.config`. */
  readonly config?: S;
  /** Names of several outputs; `run` then returns an object with one key per name. */
  readonly outs?: Outs;
  /** Resource keys this op needs; checked when definitions load. */
  readonly requiredResources?: readonly string[];
  /** Tags, e.g. `bosun-k8s/config` for the step's pod when each step runs in its own pod. */
  readonly tags?: Readonly<Record<string, JsonValue>>;
  readonly retryPolicy?: RetryPolicy;
  /** IO manager resource key that stores this op's outputs (default `io_manager`). */
  readonly ioManagerKey?: string;
  readonly run: (ctx: OpContext<ConfigOf<S>, any>, inputs: I) => O | Promise<O>;
}

/**
 * An op as `op` returns it: call it inside a job's `build` with its inputs to wire the graph.
 *
 * @example
 * const total = op({ name: "total", run: async (ctx, { numbers }: { numbers: number[] }) => numbers.length });
 * export const countJob = job({ name: "count_job", build: () => { total({ numbers: fetchNumbers() }); } });
 */
export interface OpDefinition<
  I extends Record<string, unknown> = any,
  O = any,
  Outs extends readonly string[] | undefined = any,
> {
  (inputs?: InputHandles<I>): OpResultHandles<O, Outs>;
  readonly kind: "op";
  readonly computation: NodeComputation;
  /** The same op under another node name, to call it twice with clear names. */
  alias(name: string): (inputs?: InputHandles<I>) => OpResultHandles<O, Outs>;
}

/**
 * Defines an op: a unit of computation. Call it inside a job's `build` (or a graph's) with the outputs of
 * other ops as its inputs to wire the graph; `run` receives the step's context and the input values.
 *
 * @example
 * const fetchNumbers = op({ name: "fetch_numbers", run: async () => [1, 2, 3] });
 * const total = op({
 *   name: "total",
 *   run: async (ctx, { numbers }: { numbers: number[] }) => numbers.reduce((a, b) => a + b, 0),
 * });
 * export const sumJob = job({ name: "sum_job", build: () => { total({ numbers: fetchNumbers() }); } });
 */
export function op<
  S extends z.ZodType | undefined = undefined,
  I extends Record<string, unknown> = Record<string, never>,
  O = unknown,
  const Outs extends readonly string[] | undefined = undefined,
>(options: OpOptions<S, I, O, Outs>): OpDefinition<I, Awaited<O>, Outs> {
  assertValidName("op", options.name);
  for (const output of options.outs ?? []) assertValidName(`output of op "${options.name}"`, output);
  const computation: NodeComputation = {
    opName: options.name,
    description: options.description,
    configSchema: options.config,
    outputs: options.outs && options.outs.length > 0 ? [...options.outs] : [DEFAULT_OUTPUT],
    requiredResources: [...(options.requiredResources ?? [])],
    tags: { ...(options.tags ?? {}) },
    retryPolicy: options.retryPolicy,
    ioManagerKey: options.ioManagerKey ?? DEFAULT_IO_MANAGER_KEY,
    assetKey: null,
    partitions: undefined,
    codeVersion: undefined,
    run: options.run as NodeComputation["run"],
  };
  const invoke = (alias: string | undefined, inputs?: InputHandles<I>) =>
    invokeComputation(computation, alias, inputs as Record<string, unknown> | undefined) as OpResultHandles<
      Awaited<O>,
      Outs
    >;
  const definition = (inputs?: InputHandles<I>) => invoke(undefined, inputs);
  return Object.assign(definition, {
    kind: "op" as const,
    computation,
    alias: (name: string) => {
      assertValidName("op alias", name);
      return (inputs?: InputHandles<I>) => invoke(name, inputs);
    },
  });
}
