import { didYouMean } from "@bosun/core";
import { fsIoManager } from "../io/fs-io-manager.ts";
import type { AssetDefinition } from "./asset.ts";
import { type AssetGraph, buildAssetGraph } from "./asset-graph.ts";
import { AD_HOC_ASSET_JOB, type AssetJobSpec, resolveAssetJob } from "./asset-job.ts";
import { DefinitionError } from "./definition-error.ts";
import type { ExecutorDefinition } from "./executor-definition.ts";
import { DEFAULT_IO_MANAGER_KEY, type NodeComputation } from "./graph-model.ts";
import type { JobDefinition } from "./job.ts";
import { constantResource, isResourceDefinition, type ResourceDefinition } from "./resource.ts";
import type { ScheduleDefinition } from "./schedule.ts";
import type { SensorDefinition } from "./sensor.ts";

/**
 * What `defineDefinitions` takes: the code location's jobs, assets, schedules, sensors, resources and default
 * executor.
 */
export interface DefinitionsInput {
  readonly jobs?: readonly (JobDefinition | AssetJobSpec)[];
  readonly assets?: readonly AssetDefinition[];
  readonly schedules?: readonly ScheduleDefinition[];
  readonly sensors?: readonly SensorDefinition[];
  /** Resources by key; plain values become constant resources. `io_manager` defaults to files. */
  readonly resources?: Readonly<Record<string, ResourceDefinition | unknown>>;
  /** Executor for jobs that do not name one. */
  readonly executor?: ExecutorDefinition;
}

/** A code location's validated definitions. */
export interface Definitions {
  readonly kind: "definitions";
  readonly jobs: ReadonlyMap<string, JobDefinition>;
  readonly assetGraph: AssetGraph;
  readonly schedules: ReadonlyMap<string, ScheduleDefinition>;
  readonly sensors: ReadonlyMap<string, SensorDefinition>;
  readonly resources: ReadonlyMap<string, ResourceDefinition>;
  readonly executor: ExecutorDefinition | undefined;
  /** Throws `UnknownJobError` (with a suggestion) when there is no such job. */
  getJob(name: string): JobDefinition;
  /** An ad-hoc job that materializes an asset selection. */
  assetSelectionJob(selection: string | readonly string[]): JobDefinition;
}

/** No job has this name; the message suggests the nearest one and lists the jobs there are. */
export class UnknownJobError extends Error {
  constructor(
    readonly jobName: string,
    readonly known: readonly string[],
  ) {
    super(`no job named "${jobName}"${didYouMean(jobName, known)} (jobs: ${known.join(", ") || "none"})`);
    this.name = "UnknownJobError";
  }
}

/**
 * Declares a code location: its jobs, assets, schedules, sensors and resources. Everything is checked
 * here, at load: duplicate names, unknown or missing dependencies, cycles and missing resources are
 * each one `DefinitionError` naming what is involved.
 *
 * @example
 * export default defineDefinitions({ jobs: [sumJob], assets: [rawOrders, revenue] });
 */
export function defineDefinitions(input: DefinitionsInput): Definitions {
  const assetGraph = buildAssetGraph(input.assets ?? []);
  const resources = resolveResources(input.resources ?? {});

  const jobs = new Map<string, JobDefinition>();
  for (const entry of input.jobs ?? []) {
    const definition = entry.kind === "assetJob" ? resolveAssetJob(entry, assetGraph) : entry;
    if (jobs.has(definition.name)) {
      throw new DefinitionError("DUPLICATE_NAME", `two jobs are named "${definition.name}"`, [
        definition.name,
      ]);
    }
    jobs.set(definition.name, definition);
  }

  const computations: NodeComputation[] = [...assetGraph.assets.values()].map(
    (a) => a.definition.computation,
  );
  for (const definition of jobs.values()) {
    for (const node of definition.graph().nodes) computations.push(node.computation);
  }
  assertUniqueOpNames(computations);
  assertResourcesPresent(computations, resources);

  const schedules = uniqueByName("schedule", input.schedules ?? []);
  const sensors = uniqueByName("sensor", input.sensors ?? []);
  for (const target of [...schedules.values(), ...sensors.values()]) {
    if (!jobs.has(target.jobName)) {
      throw new DefinitionError(
        "UNKNOWN_DEPENDENCY",
        `${target.kind} "${target.name}" targets job "${target.jobName}", which is not in these definitions${didYouMean(target.jobName, jobs.keys())}`,
        [target.name, target.jobName],
      );
    }
  }

  return {
    kind: "definitions",
    jobs,
    assetGraph,
    schedules,
    sensors,
    resources,
    executor: input.executor,
    getJob(name) {
      const found = jobs.get(name);
      if (!found) throw new UnknownJobError(name, [...jobs.keys()]);
      return found;
    },
    assetSelectionJob(selection) {
      return resolveAssetJob({ name: AD_HOC_ASSET_JOB, selection }, assetGraph);
    },
  };
}

/** True for a value `defineDefinitions` returned. */
export function isDefinitions(value: unknown): value is Definitions {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "definitions";
}

function resolveResources(input: Readonly<Record<string, unknown>>): Map<string, ResourceDefinition> {
  const resources = new Map<string, ResourceDefinition>();
  for (const [key, value] of Object.entries(input)) {
    resources.set(key, isResourceDefinition(value) ? value : constantResource(value));
  }
  if (!resources.has(DEFAULT_IO_MANAGER_KEY)) resources.set(DEFAULT_IO_MANAGER_KEY, fsIoManager());
  return resources;
}

/** Two different ops may not share a name: step keys and run config paths would be ambiguous. */
function assertUniqueOpNames(computations: readonly NodeComputation[]): void {
  const byName = new Map<string, NodeComputation>();
  for (const computation of computations) {
    const existing = byName.get(computation.opName);
    if (existing && existing !== computation) {
      throw new DefinitionError(
        "DUPLICATE_NAME",
        `two different ops are named "${computation.opName}"${computation.assetKey ? ` (one materializes asset "${computation.assetKey}")` : ""}`,
        [computation.opName],
      );
    }
    byName.set(computation.opName, computation);
  }
}

function assertResourcesPresent(
  computations: readonly NodeComputation[],
  resources: ReadonlyMap<string, ResourceDefinition>,
): void {
  for (const computation of computations) {
    for (const key of [...computation.requiredResources, computation.ioManagerKey]) {
      if (!resources.has(key)) {
        throw new DefinitionError(
          "MISSING_RESOURCE",
          `op "${computation.opName}" requires resource "${key}", which is not provided${didYouMean(key, resources.keys())} (resources: ${[...resources.keys()].join(", ")})`,
          [computation.opName, key],
        );
      }
    }
  }
}

function uniqueByName<T extends { name: string; kind: string }>(
  kind: string,
  items: readonly T[],
): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    if (map.has(item.name))
      throw new DefinitionError("DUPLICATE_NAME", `two ${kind}s are named "${item.name}"`, [item.name]);
    map.set(item.name, item);
  }
  return map;
}
