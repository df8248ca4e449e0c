import { didYouMean } from "@bosun/core";
import type { GraphNode, InputBinding, JobGraph, NodeComputation } from "bosun";
import { DefinitionError } from "bosun";

/** One step of an execution plan: a node of the job's graph with its upstream steps. */
export interface PlanStep {
  /** Stable across runs of the same code: the node's path in the graph. */
  readonly key: string;
  readonly computation: NodeComputation;
  readonly inputs: Readonly<Record<string, InputBinding>>;
  /**
   * Steps whose outputs this step reads, in declaration order, then those it only waits for (an
   * asset's `deps: [...]`), without repeats.
   */
  readonly upstream: readonly string[];
}

/**
 * The steps of a run in topological order (ties keep declaration order, so the order is stable).
 * `executed` is the subset this run executes; the others' outputs come from an earlier run.
 */
export interface ExecutionPlan {
  readonly steps: readonly PlanStep[];
  readonly executed: ReadonlySet<string>;
  step(key: string): PlanStep;
  downstreamOf(key: string): readonly string[];
}

export class UnknownStepError extends Error {
  constructor(
    readonly stepKey: string,
    readonly known: readonly string[],
  ) {
    super(`no step "${stepKey}" in the plan${didYouMean(stepKey, known)} (steps: ${known.join(", ")})`);
    this.name = "UnknownStepError";
  }
}

/**
 * Orders a job's graph into steps (upstream first) and marks which of them run: all, or `stepKeysToExecute`.
 * Throws `DefinitionError` when a step reads from an unknown step, `UnknownStepError` for an unknown selected
 * key.
 */
export function buildExecutionPlan(
  graph: JobGraph,
  stepKeysToExecute?: readonly string[] | null,
): ExecutionPlan {
  const byKey = new Map<string, GraphNode>();
  for (const node of graph.nodes) byKey.set(node.name, node);
  const upstreamOf = new Map<string, string[]>();
  for (const node of graph.nodes) {
    const upstream = new Set<string>();
    for (const binding of Object.values(node.inputs)) {
      for (const source of sourcesOf(binding)) {
        if (!byKey.has(source)) {
          throw new DefinitionError(
            "INVALID_GRAPH",
            `step "${node.name}" reads from unknown step "${source}"`,
            [node.name, source],
          );
        }
        upstream.add(source);
      }
    }
    for (const source of node.after ?? []) {
      if (!byKey.has(source)) {
        throw new DefinitionError("INVALID_GRAPH", `step "${node.name}" waits for unknown step "${source}"`, [
          node.name,
          source,
        ]);
      }
      upstream.add(source);
    }
    upstreamOf.set(node.name, [...upstream]);
  }

  const ordered = topologicalOrder(
    graph.nodes.map((n) => n.name),
    upstreamOf,
  );
  const downstream = new Map<string, string[]>(ordered.map((key) => [key, []]));
  for (const [key, upstream] of upstreamOf) for (const source of upstream) downstream.get(source)!.push(key);

  const steps = ordered.map((key) => {
    const node = byKey.get(key)!;
    return { key, computation: node.computation, inputs: node.inputs, upstream: upstreamOf.get(key)! };
  });
  const stepMap = new Map(steps.map((s) => [s.key, s]));

  let executed: Set<string>;
  if (stepKeysToExecute) {
    for (const key of stepKeysToExecute) if (!stepMap.has(key)) throw new UnknownStepError(key, ordered);
    executed = new Set(stepKeysToExecute);
  } else {
    executed = new Set(ordered);
  }

  return {
    steps,
    executed,
    step(key) {
      const found = stepMap.get(key);
      if (!found) throw new UnknownStepError(key, ordered);
      return found;
    },
    downstreamOf(key) {
      return downstream.get(key) ?? [];
    },
  };
}

export function sourcesOf(binding: InputBinding): string[] {
  switch (binding.kind) {
    case "output":
      return [binding.node];
    case "fanIn":
      return binding.sources.map((s) => s.node);
    case "asset":
      return [];
  }
}

function topologicalOrder(
  keys: readonly string[],
  upstreamOf: ReadonlyMap<string, readonly string[]>,
): string[] {
  const remaining = new Map(keys.map((key) => [key, upstreamOf.get(key)!.length]));
  const downstream = new Map<string, string[]>(keys.map((key) => [key, []]));
  for (const key of keys) for (const source of upstreamOf.get(key)!) downstream.get(source)!.push(key);
  const order: string[] = [];
  const position = new Map(keys.map((key, i) => [key, i]));
  const ready = keys.filter((key) => remaining.get(key) === 0);
  while (ready.length > 0) {
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const key = ready.shift()!;
    order.push(key);
    for (const next of downstream.get(key)!) {
      const left = remaining.get(next)! - 1;
      remaining.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length !== keys.length) {
    const stuck = keys.filter((key) => !order.includes(key));
    throw new DefinitionError("DEPENDENCY_CYCLE", `steps form a cycle: ${stuck.join(", ")}`, stuck);
  }
  return order;
}
