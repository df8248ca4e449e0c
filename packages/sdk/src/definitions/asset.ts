import type { JsonValue } from "@bosun/core";
import type { z } from "zod";
import { assertValidName, DefinitionError } from "./definition-error.ts";
import { DEFAULT_IO_MANAGER_KEY, DEFAULT_OUTPUT, type NodeComputation } from "./graph-model.ts";
import type { OpContext } from "./op-context.ts";
import type { PartitionsDefinition } from "./partitions.ts";
import type { RetryPolicy } from "./retry-policy.ts";

/** An asset key: path parts, written `prefix/name`. */
export type AssetKeyInput = string | readonly string[];

/**
 * Options of `asset`: its key and upstream assets, how it is grouped, partitioned, configured and stored, and
 * the `run` function that computes its value.
 */
export interface AssetOptions<S extends z.ZodType | undefined, I extends Record<string, unknown>, O> {
  /** `"name"`, `"prefix/name"` or `["prefix", "name"]`. */
  readonly key: AssetKeyInput;
  /**
   * Upstream assets whose values this asset receives, keyed by the last part of their key. When
   * absent, they are inferred from the names destructured in `run`'s second parameter.
   */
  readonly deps?: readonly (AssetDefinition | AssetKeyInput)[];
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
  readonly requiredResources?: readonly string[];
  readonly retryPolicy?: RetryPolicy;
  readonly run: (
    ctx: OpContext<S extends z.ZodType ? z.output<S> : undefined, any>,
    inputs: I,
  ) => O | Promise<O>;
}

/**
 * An asset as `asset` returns it, to list in `defineDefinitions({ assets })` and as another asset's `deps`.
 */
export interface AssetDefinition {
  readonly kind: "asset";
  /** Slash-joined key. */
  readonly key: string;
  readonly description: string | undefined;
  readonly group: string;
  readonly metadata: Readonly<Record<string, JsonValue>>;
  /** Declared upstream keys, or null to infer them from `run`'s parameters. */
  readonly declaredDeps: readonly string[] | null;
  /** Names destructured in `run`'s inputs parameter (used when deps are not declared). */
  readonly parameterNames: readonly string[];
  readonly computation: NodeComputation;
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

/** The input name an upstream asset is passed under: the last part of its key. */
export function assetInputName(assetKey: string): string {
  return assetKey.split("/").pop() ?? assetKey;
}

/**
 * A software-defined asset: a stored thing and the function that computes it from its upstream assets.
 *
 * @example
 * const revenue = asset({ key: "revenue", deps: [rawOrders], run: async (ctx, { raw_orders }) => sum(raw_orders) });
 */
export function asset<
  S extends z.ZodType | undefined = undefined,
  I extends Record<string, unknown> = any,
  O = unknown,
>(options: AssetOptions<S, I, O>): AssetDefinition {
  const key = assetKeyOf(options.key);
  if (options.group !== undefined) assertValidName(`group of asset "${key}"`, options.group);
  const declaredDeps = options.deps ? options.deps.map((dep) => assetKeyOf(dep)) : null;
  return {
    kind: "asset",
    key,
    description: options.description,
    group: options.group ?? DEFAULT_GROUP,
    metadata: { ...(options.metadata ?? {}) },
    declaredDeps,
    parameterNames: declaredDeps ? [] : destructuredParameterNames(options.run),
    computation: {
      opName: assetStepKey(key),
      description: options.description,
      configSchema: options.config,
      outputs: [DEFAULT_OUTPUT],
      requiredResources: [...(options.requiredResources ?? [])],
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

/**
 * Names destructured in a function's second parameter: `(ctx, { a, b: alias, c = 1 }) => ...` gives
 * `["a", "b", "c"]`. Only plain object destructuring is understood; anything else gives no names, and
 * the asset then has to declare `deps`.
 */
export function destructuredParameterNames(fn: (...args: never[]) => unknown): string[] {
  const source = Function.prototype.toString.call(fn);
  const open = source.indexOf("(");
  if (open < 0) return [];
  const afterFirstComma = findTopLevelComma(source, open + 1);
  if (afterFirstComma < 0) return [];
  const braceStart = source.indexOf("{", afterFirstComma);
  if (braceStart < 0 || source.slice(afterFirstComma + 1, braceStart).trim() !== "") return [];
  const braceEnd = matchingBrace(source, braceStart);
  if (braceEnd < 0) return [];
  return splitTopLevel(source.slice(braceStart + 1, braceEnd))
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0 && !entry.startsWith("..."))
    .map((entry) => /^([A-Za-z_$][\w$]*)/.exec(entry)?.[1])
    .filter((name): name is string => name !== undefined);
}

function findTopLevelComma(source: string, from: number): number {
  let depth = 0;
  for (let i = from; i < source.length; i++) {
    const ch = source[i];
    if (ch === "(" || ch === "{" || ch === "[") depth++;
    else if (ch === ")" || ch === "}" || ch === "]") {
      if (depth === 0) return -1;
      depth--;
    } else if (ch === "," && depth === 0) return i;
  }
  return -1;
}

function matchingBrace(source: string, start: number): number {
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    if (source[i] === "{") depth++;
    else if (source[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let last = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === "(" || ch === "{" || ch === "[") depth++;
    else if (ch === ")" || ch === "}" || ch === "]") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(body.slice(last, i));
      last = i + 1;
    }
  }
  parts.push(body.slice(last));
  return parts;
}
