import type { JsonValue } from "@bosun/core";
import type { z } from "zod";
import { assertInputsDeclared, assertValidName, DefinitionError } from "./definition-error.ts";
import { DEFAULT_IO_MANAGER_KEY, DEFAULT_OUTPUT, type NodeComputation } from "./graph-model.ts";
import type { OpContext } from "./op-context.ts";
import type { PartitionsDefinition } from "./partitions.ts";
import { type ResourceDefinitions, type ResourceValues, resourceKeys } from "./resource.ts";
import type { RetryPolicy } from "./retry-policy.ts";

/** An asset key: path parts, written `prefix/name`. */
export type AssetKeyInput = string | readonly string[];

/**
 * Upstream assets. An object, `{ raw_orders: rawOrders }`, passes each one's value to `run` under its
 * name, typed from the upstream asset's `run`; an array, `[rawOrders, "shop/customers"]`, only orders
 * this asset after them and passes nothing.
 */
export type AssetDeps =
  | Readonly<Record<string, AssetDefinition<unknown> | AssetKeyInput>>
  | readonly (AssetDefinition<unknown> | AssetKeyInput)[];

/** What `run` receives for `deps`: upstream values by name (`unknown` for ones given by key). */
export type AssetInputValues<D> = D extends readonly unknown[]
  ? Record<never, never>
  : { [K in keyof D]: D[K] extends AssetDefinition<infer V> ? V : unknown };

/**
 * Options of `asset`: its key and upstream assets, how it is grouped, partitioned, configured and stored, and
 * the `run` function that computes its value.
 */
export interface AssetOptions<
  S extends z.ZodType | undefined,
  D extends AssetDeps,
  O,
  R extends ResourceDefinitions = Record<never, never>,
  Req extends readonly string[] = [],
> {
  /** `"name"`, `"prefix/name"` or `["prefix", "name"]`. */
  readonly key: AssetKeyInput;
  /**
   * Upstream assets: `{ raw_orders: rawOrders }` passes their values to `run` (typed), `[rawOrders]`
   * only waits for them.
   */
  readonly deps?: D;
  readonly description?: string;
  readonly group?: string;
  /** Static facts about the asset, shown in the catalog. */
  readonly metadata?: Readonly<Record<string, JsonValue>>;
  /** Tags of the op that materializes the asset (e.g. `bosun-k8s/config`). */
  readonly opTags?: Readonly<Record<string, JsonValue>>;
  readonly ioManagerKey?: string;
  /** Changes when the code that computes the asset changes in a meaningful way. */
  readonly codeVersion?: string;
  readonly partitions?: PartitionsDefinition;
  readonly config?: S;
  /** Resources `run` uses, by key; `ctx.resources.<key>` is typed from each definition's `setup`. */
  readonly resources?: R;
  /** Resource keys needed without a declared type (`ctx.resources.<key>` is `unknown`). */
  readonly requiredResources?: Req;
  readonly retryPolicy?: RetryPolicy;
  readonly run: (
    ctx: OpContext<S extends z.ZodType ? z.output<S> : undefined, NoInfer<ResourceValues<R, Req>>>,
    inputs: NoInfer<AssetInputValues<D>>,
  ) => O | Promise<O>;
}

declare const ASSET_VALUE: unique symbol;

/**
 * An asset as `asset` returns it, to list in `defineDefinitions({ assets })` and as another asset's `deps`;
 * `T` is the value its `run` returns, which downstream assets receive.
 */
export interface AssetDefinition<T = unknown> {
  readonly kind: "asset";
  /** Slash-joined key. */
  readonly key: string;
  readonly description: string | undefined;
  readonly group: string;
  readonly metadata: Readonly<Record<string, JsonValue>>;
  /** Upstream asset keys whose values `run` receives, by input name (`deps: { ... }`). */
  readonly inputs: Readonly<Record<string, string>>;
  /** Upstream asset keys this asset waits for without receiving their values (`deps: [...]`). */
  readonly nonArgumentDeps: readonly string[];
  readonly computation: NodeComputation;
  /** Phantom: carries the value's type to downstream assets' `run`. */
  readonly [ASSET_VALUE]?: T;
}

export const DEFAULT_GROUP = "default";

/**
 * The slash-joined key of an asset or key input (`["raw", "orders"]` → `raw/orders`). Throws
 * `DefinitionError` (INVALID_NAME) when a part holds anything but letters, digits, `_` and `-`.
 */
export function assetKeyOf(input: AssetKeyInput | AssetDefinition): string {
  if (typeof input === "object" && input !== null && "kind" in input && input.kind === "asset")
    return input.key;
  const parts = typeof input === "string" ? input.split("/") : [...(input as readonly string[])];
  for (const part of parts) {
    if (!/^[A-Za-z0-9_-]+$/.test(part)) {
      throw new DefinitionError(
        "INVALID_NAME",
        `asset key ${JSON.stringify(input)} is invalid: each part must be letters, digits, "_" or "-"`,
      );
    }
  }
  return parts.join("/");
}

/** The step key (and op name) of the step that materializes an asset: key parts joined by `__`. */
export function assetStepKey(assetKey: string): string {
  return assetKey.split("/").join("__");
}

/**
 * A software-defined asset: a stored thing and the function that computes it from its upstream assets.
 *
 * @example
 * const revenue = asset({ key: "revenue", deps: { raw_orders: rawOrders }, run: async (ctx, { raw_orders }) => sum(raw_orders) });
 */
export function asset<
  S extends z.ZodType | undefined = undefined,
  const D extends AssetDeps = Record<never, never>,
  O = unknown,
  R extends ResourceDefinitions = Record<never, never>,
  const Req extends readonly string[] = [],
>(options: AssetOptions<S, D, O, R, Req>): AssetDefinition<Awaited<O>> {
  const key = assetKeyOf(options.key);
  if (options.group !== undefined) assertValidName(`group of asset "${key}"`, options.group);
  const { inputs, nonArgumentDeps } = splitDeps(key, options.deps);
  const inputNames = Object.keys(inputs);
  assertInputsDeclared("asset", key, options.run, inputNames, "deps: { name: upstreamAsset }");
  return {
    kind: "asset",
    key,
    description: options.description,
    group: options.group ?? DEFAULT_GROUP,
    metadata: { ...(options.metadata ?? {}) },
    inputs,
    nonArgumentDeps,
    computation: {
      opName: assetStepKey(key),
      description: options.description,
      configSchema: options.config,
      inputNames,
      outputs: [DEFAULT_OUTPUT],
      requiredResources: resourceKeys(options.resources, options.requiredResources),
      tags: { ...(options.opTags ?? {}) },
      retryPolicy: options.retryPolicy,
      ioManagerKey: options.ioManagerKey ?? DEFAULT_IO_MANAGER_KEY,
      assetKey: key,
      partitions: options.partitions,
      codeVersion: options.codeVersion,
      run: options.run as NodeComputation["run"],
    },
  };
}

/** Object form: values passed under their names; array form: ordering only. */
function splitDeps(
  key: string,
  deps: AssetDeps | undefined,
): { inputs: Record<string, string>; nonArgumentDeps: string[] } {
  if (deps === undefined) return { inputs: {}, nonArgumentDeps: [] };
  if (Array.isArray(deps)) return { inputs: {}, nonArgumentDeps: [...new Set(deps.map(assetKeyOf))] };
  const inputs: Record<string, string> = {};
  for (const [name, dep] of Object.entries(
    deps as Readonly<Record<string, AssetDefinition | AssetKeyInput>>,
  )) {
    assertValidName(`input of asset "${key}"`, name);
    inputs[name] = assetKeyOf(dep);
  }
  return { inputs, nonArgumentDeps: [] };
}
