import type { JsonValue } from "@bosun/core";
import { type AssetGraph, assetJobGraph, selectAssets } from "./asset-graph.ts";
import { assertValidName, DefinitionError } from "./definition-error.ts";
import type { ExecutorDefinition } from "./executor-definition.ts";
import type { JobDefinition } from "./job.ts";
import type { PartitionsDefinition } from "./partitions.ts";

/** The job name of ad-hoc runs that materialize an asset selection. */
export const AD_HOC_ASSET_JOB = "__asset_job";

export interface AssetJobOptions {
  readonly name: string;
  /** Asset selection: keys, `group:name`, `+key` (with upstream), `key+` (with downstream), `*`. */
  readonly selection: string | readonly string[];
  readonly description?: string;
  readonly tags?: Readonly<Record<string, JsonValue>>;
  readonly executor?: ExecutorDefinition;
  readonly config?: Readonly<Record<string, JsonValue>>;
}

/** A job that materializes a selection of assets. Resolved when definitions load. */
export interface AssetJobSpec extends AssetJobOptions {
  readonly kind: "assetJob";
}

/**
 * A job that materializes a selection of assets (see `selectAssets` for the syntax). Its graph is resolved
 * when definitions load, from the assets given to `defineDefinitions`.
 *
 * @example
 * // revenue_report and everything upstream of it
 * export const salesJob = assetJob({ name: "sales_job", selection: "+reports/revenue_report" });
 * export default defineDefinitions({ jobs: [salesJob], assets: [rawOrders, revenue, revenueReport] });
 */
export function assetJob(options: AssetJobOptions): AssetJobSpec {
  assertValidName("job", options.name);
  return { kind: "assetJob", ...options };
}

export function resolveAssetJob(spec: AssetJobOptions, graph: AssetGraph): JobDefinition {
  const keys = selectAssets(graph, spec.selection);
  const jobGraph = assetJobGraph(graph, keys);
  return {
    kind: "job",
    name: spec.name,
    description: spec.description,
    tags: { ...(spec.tags ?? {}) },
    executor: spec.executor,
    defaultRunConfig: { ...(spec.config ?? {}) },
    partitions: sharedPartitions(spec.name, keys, graph),
    assetKeys: keys,
    graph: () => jobGraph,
  };
}

/** Assets materialized together must share one partitioning (or have none). */
function sharedPartitions(
  jobName: string,
  keys: readonly string[],
  graph: AssetGraph,
): PartitionsDefinition | undefined {
  let found: { key: string; partitions: PartitionsDefinition } | undefined;
  for (const key of keys) {
    const partitions = graph.assets.get(key)!.definition.computation.partitions;
    if (!partitions) continue;
    if (found && JSON.stringify(found.partitions) !== JSON.stringify(partitions)) {
      throw new DefinitionError(
        "INVALID_PARTITION",
        `job "${jobName}" selects assets with different partitions ("${found.key}" and "${key}"); materialize them in separate runs`,
        [found.key, key],
      );
    }
    found ??= { key, partitions };
  }
  return found?.partitions;
}
