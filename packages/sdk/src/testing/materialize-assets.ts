import { didYouMean } from "@bosun/core";
import type { AssetDefinition } from "../definitions/asset.ts";
import { type ConfigIssue, parseConfig } from "../definitions/config-parsing.ts";
import type { MetadataInput } from "../definitions/metadata.ts";
import { declaredResources, type TestRunOptions, testContext } from "./test-context.ts";
import { TestInvocationError } from "./test-invocation-error.ts";

/** Options of `materializeAssets`. */
export interface MaterializeAssetsOptions extends TestRunOptions {
  /** What `ctx.resources` holds, by key (fakes, stubs); every key a materialized asset declares must be given. */
  readonly resources?: Readonly<Record<string, unknown>>;
  /** Each asset's config by asset key (`"reports/revenue_report"`), parsed with its zod schema. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Values of upstream assets that are not materialized here, by asset key: what they would have stored. */
  readonly upstream?: Readonly<Record<string, unknown>>;
}

/** What `materializeAssets` returns: each asset's value and output metadata, by asset key. */
export interface MaterializedAssets {
  /** Each materialized asset's value by its key (`"reports/revenue_report"`). */
  readonly values: Readonly<Record<string, unknown>>;
  /** The metadata each asset's `run` recorded with `ctx.addOutputMetadata`, by asset key. */
  readonly metadata: Readonly<Record<string, MetadataInput>>;
  /** One asset's value, typed from its definition. */
  get<T>(asset: AssetDefinition<T>): T;
}

/**
 * Materializes assets in this process, without a run, an IO manager or a database: each one after the
 * assets it depends on, its inputs the values those returned (or `upstream` values for assets not in
 * the list), its config parsed by its zod schema as a run parses it, its resources the values given.
 * Throws `TestInvocationError` listing every problem (config, a missing resource or upstream value)
 * before any `run` is called; what a `run` throws is thrown as is.
 *
 * @example
 * import { materializeAssets } from "bosun/testing";
 * const result = await materializeAssets([rawOrders, revenueByRegion], { resources: { warehouse: fake } });
 * expect(result.get(revenueByRegion)).toEqual({ eu: 30, us: 12 });
 */
export async function materializeAssets(
  assets: readonly AssetDefinition<unknown>[],
  options: MaterializeAssetsOptions = {},
): Promise<MaterializedAssets> {
  const order = dependencyOrder(assets);
  const keys = order.map((asset) => asset.key);
  const issues: ConfigIssue[] = [];
  for (const key of Object.keys(options.config ?? {}))
    if (!keys.includes(key))
      issues.push({
        path: `config.${key}`,
        message: `is not an asset materialized here${didYouMean(key, keys)}`,
      });
  const prepared = order.map((asset) => {
    for (const [name, upstreamKey] of Object.entries(asset.inputs))
      if (!keys.includes(upstreamKey) && !(options.upstream && upstreamKey in options.upstream))
        issues.push({
          path: `upstream.${upstreamKey}`,
          message: `is an input of asset "${asset.key}" (${name}): add the asset to the list, or give its value in upstream`,
        });
    return {
      asset,
      config: parseConfig(
        asset.computation.configSchema,
        options.config?.[asset.key],
        `config.${asset.key}`,
        issues,
      ),
      resources: declaredResources(asset.computation, options.resources, issues),
    };
  });
  if (issues.length > 0)
    throw new TestInvocationError(`materializing ${keys.map((key) => `"${key}"`).join(", ")}`, issues);

  const values: Record<string, unknown> = {};
  const metadata: Record<string, MetadataInput> = {};
  for (const { asset, config, resources } of prepared) {
    const inputs: Record<string, unknown> = {};
    for (const [name, upstreamKey] of Object.entries(asset.inputs))
      inputs[name] = upstreamKey in values ? values[upstreamKey] : options.upstream?.[upstreamKey];
    const context = testContext(asset.computation, config, resources, options);
    values[asset.key] = await asset.computation.run(context.ctx, inputs);
    metadata[asset.key] = context.metadata.result ?? {};
  }
  return {
    values,
    metadata,
    get: <T>(asset: AssetDefinition<T>) => {
      if (!(asset.key in values))
        throw new Error(`asset "${asset.key}" was not materialized here${didYouMean(asset.key, keys)}`);
      return values[asset.key] as T;
    },
  };
}

/**
 * The assets in an order where each comes after the listed assets it depends on (by value or by
 * order only); the list's own order otherwise. Throws on the same key twice, or on a cycle.
 */
function dependencyOrder(assets: readonly AssetDefinition<unknown>[]): AssetDefinition<unknown>[] {
  const byKey = new Map<string, AssetDefinition<unknown>>();
  for (const asset of assets) {
    if (byKey.has(asset.key)) throw new Error(`asset "${asset.key}" is listed twice`);
    byKey.set(asset.key, asset);
  }
  const ordered: AssetDefinition<unknown>[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (asset: AssetDefinition<unknown>, path: readonly string[]) => {
    if (state.get(asset.key) === "done") return;
    if (state.get(asset.key) === "visiting")
      throw new Error(`assets depend on each other in a cycle: ${[...path, asset.key].join(" -> ")}`);
    state.set(asset.key, "visiting");
    for (const upstream of [...Object.values(asset.inputs), ...asset.nonArgumentDeps]) {
      const listed = byKey.get(upstream);
      if (listed) visit(listed, [...path, asset.key]);
    }
    state.set(asset.key, "done");
    ordered.push(asset);
  };
  for (const asset of assets) visit(asset, []);
  return ordered;
}
