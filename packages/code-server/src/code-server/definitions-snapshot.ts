import type { JsonValue } from "@bosun/core";
import type { CodeOrigin } from "@bosun/engine";
import type { Definitions, GraphNode, InputBinding, JobDefinition, PartitionsDefinition } from "bosun";
import type { z } from "zod";
import type {
  AssetSnapshot,
  DefinitionsSnapshot,
  JobSnapshot,
  NodeSnapshot,
  PartitionsSnapshot,
  ResourceSnapshot,
  ScheduleSnapshot,
  SensorSnapshot,
} from "../code-location/snapshot.ts";
import { canonicalHash } from "./canonical-json.ts";
import { acceptsMissingConfig, configJsonSchema, JSON_SCHEMA_DIALECT } from "./config-json-schema.ts";

/** What a snapshot carries besides the definitions: how to load the code again and its container context. */
export interface SnapshotOptions {
  /** How run workers load this code (an absolute file path or a module name). */
  readonly origin: CodeOrigin;
  /** The location's container context, carried as given (plugins' checks ran when the code loaded). */
  readonly containerContext?: JsonValue | null;
}

/**
 * The JSON description of a code location's definitions that code servers serve. Deterministic: the
 * same code gives the same snapshot and the same `contentHash` (sha256 of the snapshot's canonical
 * JSON, without the hash itself).
 *
 * @example
 * const snapshot = buildDefinitionsSnapshot(await loadDefinitions(origin), { origin });
 */
export function buildDefinitionsSnapshot(
  definitions: Definitions,
  options: SnapshotOptions,
): DefinitionsSnapshot {
  const body: Omit<DefinitionsSnapshot, "contentHash"> = {
    origin: options.origin,
    containerContext: options.containerContext ?? null,
    jobs: [...definitions.jobs.values()].map((job) => jobSnapshot(definitions, job)),
    assets: assetSnapshots(definitions),
    schedules: [...definitions.schedules.values()].map(
      (schedule): ScheduleSnapshot => ({
        name: schedule.name,
        cron: schedule.cron,
        timezone: schedule.timezone,
        jobName: schedule.jobName,
        description: schedule.description ?? null,
        defaultStatus: schedule.defaultStatus,
      }),
    ),
    sensors: [...definitions.sensors.values()].map(
      (sensor): SensorSnapshot => ({
        name: sensor.name,
        jobName: sensor.jobName,
        minimumIntervalSeconds: sensor.minimumIntervalSeconds,
        description: sensor.description ?? null,
        defaultStatus: sensor.defaultStatus,
      }),
    ),
    resources: [...definitions.resources.entries()].map(
      ([key, resource]): ResourceSnapshot => ({
        key,
        description: resource.description ?? null,
        configSchema: resource.configSchema ? configJsonSchema(resource.configSchema) : null,
      }),
    ),
  };
  return { contentHash: canonicalHash(body), ...body };
}

function jobSnapshot(definitions: Definitions, job: JobDefinition): JobSnapshot {
  const nodes = job.graph().nodes.map(nodeSnapshot);
  const executor = job.executor ?? definitions.executor;
  return {
    name: job.name,
    description: job.description ?? null,
    tags: job.tags,
    executor: executor ? { name: executor.name, config: executor.config } : null,
    defaultRunConfig: job.defaultRunConfig,
    partitions: job.partitions ? partitionsSnapshot(job.partitions) : null,
    assetKeys: job.assetKeys,
    nodes,
    runConfigSchema: runConfigSchema(definitions, job),
  };
}

function nodeSnapshot(node: GraphNode): NodeSnapshot {
  const computation = node.computation;
  const inputs: Record<string, { fromSteps?: string[]; fromAsset?: string }> = {};
  for (const [name, binding] of Object.entries(node.inputs)) inputs[name] = inputSnapshot(binding);
  return {
    name: node.name,
    opName: computation.opName,
    description: computation.description ?? null,
    outputs: computation.outputs,
    inputs,
    ...(node.after && node.after.length > 0 ? { after: [...node.after] } : {}),
    tags: computation.tags,
    assetKey: computation.assetKey,
    configSchema: computation.configSchema ? configJsonSchema(computation.configSchema) : null,
    retryPolicy: computation.retryPolicy ? { ...computation.retryPolicy } : null,
  };
}

function inputSnapshot(binding: InputBinding): { fromSteps?: string[]; fromAsset?: string } {
  switch (binding.kind) {
    case "output":
      return { fromSteps: [binding.node] };
    case "fanIn":
      return { fromSteps: binding.sources.map((source) => source.node) };
    case "asset":
      return { fromAsset: binding.assetKey };
  }
}

function assetSnapshots(definitions: Definitions): AssetSnapshot[] {
  const graph = definitions.assetGraph;
  return [...graph.assets.values()].map(({ definition, dependsOn }) => ({
    key: definition.key,
    stepKey: definition.computation.opName,
    group: definition.group,
    description: definition.description ?? null,
    upstream: [...dependsOn],
    downstream: [...(graph.downstream.get(definition.key) ?? [])],
    metadata: definition.metadata,
    partitions: definition.computation.partitions
      ? partitionsSnapshot(definition.computation.partitions)
      : null,
    codeVersion: definition.computation.codeVersion ?? null,
    ioManagerKey: definition.computation.ioManagerKey,
  }));
}

export function partitionsSnapshot(partitions: PartitionsDefinition): PartitionsSnapshot {
  return partitions.kind === "static"
    ? { kind: "static", keys: [...partitions.keys] }
    : { kind: partitions.kind, start: partitions.start.toISOString() };
}

/**
 * The JSON Schema of a job's whole run config, mirroring what `resolveRunConfig` accepts:
 * `ops.<step key>.config`, `resources.<key>.config` and `execution.config`. A section is required
 * only when something in it has no usable default; a resource only when the job uses it.
 */
export function runConfigSchema(definitions: Definitions, job: JobDefinition): JsonValue {
  const ops = configSection(
    job.graph().nodes.map((node) => [node.name, node.computation.configSchema, true] as const),
  );
  // Like the run config validation: every resource may be configured, but only those the job uses
  // can be required.
  const needed = resourcesUsedBy(job);
  const resources = configSection(
    [...definitions.resources.entries()].map(
      ([key, resource]) => [key, resource.configSchema, needed.has(key)] as const,
    ),
  );
  const required: string[] = [];
  if (ops.required) required.push("ops");
  if (resources.required) required.push("resources");
  return {
    $schema: JSON_SCHEMA_DIALECT,
    type: "object",
    additionalProperties: false,
    properties: {
      ops: ops.schema,
      resources: resources.schema,
      execution: {
        type: "object",
        additionalProperties: false,
        properties: {
          config: {
            type: "object",
            description: "Merged over the job's executor config; its keys depend on the executor.",
          },
        },
      },
    },
    ...(required.length > 0 ? { required } : {}),
  };
}

/** Resource keys a job's steps use: their required resources and IO managers. */
function resourcesUsedBy(job: JobDefinition): Set<string> {
  const used = new Set<string>();
  for (const node of job.graph().nodes) {
    for (const key of node.computation.requiredResources) used.add(key);
    used.add(node.computation.ioManagerKey);
    for (const binding of Object.values(node.inputs))
      if (binding.kind === "asset") used.add(binding.ioManagerKey);
  }
  return used;
}

/** Entries: key, config schema, whether the job uses it (only a used entry can be required). */
function configSection(entries: readonly (readonly [string, z.ZodType | undefined, boolean])[]): {
  schema: JsonValue;
  required: boolean;
} {
  const properties: Record<string, JsonValue> = {};
  const required: string[] = [];
  for (const [key, schema, used] of entries) {
    const needsConfig = used && schema !== undefined && !acceptsMissingConfig(schema);
    if (needsConfig) required.push(key);
    properties[key] = {
      type: "object",
      additionalProperties: false,
      // An entry that takes no config may still be written as `{}`.
      properties: schema ? { config: configJsonSchema(schema) } : {},
      ...(needsConfig ? { required: ["config"] } : {}),
    };
  }
  return {
    schema: {
      type: "object",
      additionalProperties: false,
      properties,
      ...(required.length > 0 ? { required } : {}),
    },
    required: required.length > 0,
  };
}
