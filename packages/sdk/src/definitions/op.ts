import type { JsonValue } from "@bosun/core";
import type { z } from "zod";
import { assertInputsDeclared, assertValidName } from "./definition-error.ts";
import { invokeComputation, type OutputHandle } from "./graph-builder.ts";
import { DEFAULT_IO_MANAGER_KEY, DEFAULT_OUTPUT, type NodeComputation } from "./graph-model.ts";
import type { OpContext } from "./op-context.ts";
import { type ResourceDefinitions, type ResourceValues, resourceKeys } from "./resource.ts";
import type { RetryPolicy } from "./retry-policy.ts";

type ConfigOf<S> = S extends z.ZodType ? z.output<S> : undefined;
/** The config a run config (or a test) may give: the schema's input, before defaults apply. */
type ConfigInputOf<S> = S extends z.ZodType ? z.input<S> : undefined;

declare const INPUT_TYPE: unique symbol;
declare const OP_TYPES: unique symbol;

/** The declaration of one op input; only its type matters, so one value serves every op. */
export interface InputDefinition<T = unknown> {
  readonly kind: "input";
  /** Phantom: carries the input's type to `run` and to the handles the input accepts. */
  readonly [INPUT_TYPE]?: T;
}

const INPUT: InputDefinition = Object.freeze({ kind: "input" as const });

/**
 * Declares an op input of type `T`, for `ins: { name: input<T>() }`. Types are erased at runtime, so
 * the declaration is what tells the graph builder the input's name.
 *
 * @example
 * const total = op({ name: "total", ins: { numbers: input<number[]>() }, run: async (ctx, { numbers }) => numbers.length });
 */
export function input<T>(): InputDefinition<T> {
  return INPUT as InputDefinition<T>;
}

/** Input declarations by name. */
export type InputDefinitions = Readonly<Record<string, InputDefinition<unknown>>>;

/** What `run` receives for declared inputs. */
export type InputValues<Ins> = { [K in keyof Ins]: Ins[K] extends InputDefinition<infer T> ? T : never };

/**
 * Handles accepted for each input when an op is called inside `build`: the output of another op of the
 * input's type or, for an array input, an array of outputs of its element type (fan-in).
 */
export type InputHandles<I> = {
  [K in keyof I]:
    | OutputHandle<I[K]>
    | (I[K] extends readonly (infer E)[] ? readonly OutputHandle<E>[] : never);
};

/** An op without inputs may be called without arguments; one with inputs must be given all of them. */
export type InvokeArgs<I> = keyof I extends never ? [inputs?: InputHandles<I>] : [inputs: InputHandles<I>];

export type OpResultHandles<O, Outs extends readonly string[] | undefined> = Outs extends readonly string[]
  ? { [K in Outs[number]]: OutputHandle<O extends Record<K, infer V> ? V : unknown> }
  : OutputHandle<Awaited<O>>;

/** Options of `op`. */
export interface OpOptions<
  S extends z.ZodType | undefined,
  Ins extends InputDefinitions,
  O,
  Outs extends readonly string[] | undefined,
  R extends ResourceDefinitions = Record<never, never>,
  Req extends readonly string[] = [],
> {
  /** Unique within the code location; becomes the step key when called once. */
  readonly name: string;
  readonly description?: string;
  /** zod schema of the op's config, read from the run config at `ops.<step key>.config`. */
  readonly config?: S;
  /**
   * The op's inputs, `{ numbers: input<number[]>() }`: `run` receives them typed, calls in `build`
   * must wire each of them, and a job that leaves one unwired is refused when definitions load.
   */
  readonly ins?: Ins;
  /** Names of several outputs; `run` then returns an object with one key per name. */
  readonly outs?: Outs;
  /**
   * Resources `run` uses, by key: `{ warehouse }` types `ctx.resources.warehouse` from the
   * definition's `setup`. `defineDefinitions({ resources })` provides the value under the same key
   * (it may be another definition of the same type, a fake in tests).
   */
  readonly resources?: R;
  /** Resource keys this op needs without a declared type (`ctx.resources.<key>` is `unknown`). */
  readonly requiredResources?: Req;
  /** Tags, e.g. `bosun-k8s/config` for the step's pod when each step runs in its own pod. */
  readonly tags?: Readonly<Record<string, JsonValue>>;
  readonly retryPolicy?: RetryPolicy;
  /** IO manager resource key that stores this op's outputs (default `io_manager`). */
  readonly ioManagerKey?: string;
  /** Declarations above type `ctx` and `inputs`; `NoInfer` keeps an annotation here from widening them. */
  readonly run: (
    ctx: OpContext<ConfigOf<S>, NoInfer<ResourceValues<R, Req>>>,
    inputs: NoInfer<InputValues<Ins>>,
  ) => O | Promise<O>;
}

/**
 * An op as `op` returns it: call it inside a job's `build` with its inputs to wire the graph.
 *
 * @example
 * const total = op({ name: "total", ins: { numbers: input<number[]>() }, run: async (ctx, { numbers }) => numbers.length });
 * export const countJob = job({ name: "count_job", build: () => { total({ numbers: fetchNumbers() }); } });
 */
export interface OpDefinition<
  I extends Record<string, unknown> = any,
  O = any,
  Outs extends readonly string[] | undefined = any,
  C = unknown,
  R = unknown,
> {
  (...args: InvokeArgs<I>): OpResultHandles<O, Outs>;
  readonly kind: "op";
  readonly computation: NodeComputation;
  /** Phantom: the config the op accepts (`C`) and the type of `ctx.resources` (`R`), for `bosun/testing`. */
  readonly [OP_TYPES]?: { readonly config: C; readonly resources: R };
  /** The same op under another node name, to call it twice with clear names. */
  alias(name: string): (...args: InvokeArgs<I>) => OpResultHandles<O, Outs>;
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
  Ins extends InputDefinitions = Record<never, never>,
  O = unknown,
  const Outs extends readonly string[] | undefined = undefined,
  R extends ResourceDefinitions = Record<never, never>,
  const Req extends readonly string[] = [],
>(
  options: OpOptions<S, Ins, O, Outs, R, Req>,
): OpDefinition<InputValues<Ins>, Awaited<O>, Outs, ConfigInputOf<S>, ResourceValues<R, Req>> {
  type I = InputValues<Ins>;
  assertValidName("op", options.name);
  for (const output of options.outs ?? []) assertValidName(`output of op "${options.name}"`, output);
  const inputNames = Object.keys(options.ins ?? {});
  for (const name of inputNames) assertValidName(`input of op "${options.name}"`, name);
  assertInputsDeclared("op", options.name, options.run, inputNames, "ins: { name: input<T>() }");
  const computation: NodeComputation = {
    opName: options.name,
    description: options.description,
    configSchema: options.config,
    inputNames,
    outputs: options.outs && options.outs.length > 0 ? [...options.outs] : [DEFAULT_OUTPUT],
    requiredResources: resourceKeys(options.resources, options.requiredResources),
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
  const definition = (...[inputs]: InvokeArgs<I>) => invoke(undefined, inputs);
  return Object.assign(definition, {
    kind: "op" as const,
    computation,
    alias: (name: string) => {
      assertValidName("op alias", name);
      return (...[inputs]: InvokeArgs<I>) => invoke(name, inputs);
    },
  });
}
