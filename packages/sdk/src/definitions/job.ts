import type { JsonValue } from "@bosun/core";
import { assertValidName } from "./definition-error.ts";
import type { ExecutorDefinition } from "./executor-definition.ts";
import { collectGraph, invokeGraph } from "./graph-builder.ts";
import type { JobGraph } from "./graph-model.ts";
import type { PartitionsDefinition } from "./partitions.ts";

/** Options of `job`. */
export interface JobOptions {
  readonly name: string;
  readonly description?: string;
  /** Run tags, e.g. `bosun-k8s/config` for the run's pod or `bosun/max_retries`. */
  readonly tags?: Readonly<Record<string, JsonValue>>;
  readonly executor?: ExecutorDefinition;
  /** Default run config, merged under what a launch provides. */
  readonly config?: Readonly<Record<string, JsonValue>>;
  readonly partitions?: PartitionsDefinition;
  /** Calls ops (and graphs) to wire the job's graph. */
  readonly build: () => void;
}

/** A job as `job` returns it (or an asset job once resolved); its graph is built on first use. */
export interface JobDefinition {
  readonly kind: "job";
  readonly name: string;
  readonly description: string | undefined;
  readonly tags: Readonly<Record<string, JsonValue>>;
  readonly executor: ExecutorDefinition | undefined;
  readonly defaultRunConfig: Readonly<Record<string, JsonValue>>;
  readonly partitions: PartitionsDefinition | undefined;
  /** Asset keys this job materializes (asset jobs only). */
  readonly assetKeys: readonly string[];
  /** Builds the graph; cached after the first call. */
  graph(): JobGraph;
}

/**
 * A job: a graph of ops built by calling them inside `build`.
 *
 * @example
 * export const sumJob = job({ name: "sum_job", build: () => { total({ numbers: fetchNumbers() }); } });
 */
export function job(options: JobOptions): JobDefinition {
  assertValidName("job", options.name);
  let graph: JobGraph | undefined;
  return {
    kind: "job",
    name: options.name,
    description: options.description,
    tags: { ...(options.tags ?? {}) },
    executor: options.executor,
    defaultRunConfig: { ...(options.config ?? {}) },
    partitions: options.partitions,
    assetKeys: [],
    graph() {
      graph ??= { nodes: collectGraph(options.name, options.build) };
      return graph;
    },
  };
}

/** A reusable piece of graph as `graph` returns it: call it inside a job's `build`. */
export interface GraphDefinition<I, O> {
  (inputs: I): O;
  readonly kind: "graph";
  readonly graphName: string;
  alias(name: string): (inputs: I) => O;
}

/**
 * A reusable piece of graph. Calling it inside a job inlines its ops under `<graph name>.<op name>`.
 *
 * @example
 * const clean = graph({ name: "clean", build: ({ raw }) => normalize({ rows: dedupe({ rows: raw }) }) });
 */
export function graph<I = Record<string, never>, O = void>(options: {
  name: string;
  build: (inputs: I) => O;
}): GraphDefinition<I, O> {
  assertValidName("graph", options.name);
  const call = (alias: string | undefined, inputs: I) =>
    invokeGraph(options.name, alias, () => options.build(inputs));
  return Object.assign((inputs: I) => call(undefined, inputs), {
    kind: "graph" as const,
    graphName: options.name,
    alias: (name: string) => {
      assertValidName("graph alias", name);
      return (inputs: I) => call(name, inputs);
    },
  });
}
