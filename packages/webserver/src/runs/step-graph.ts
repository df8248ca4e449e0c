import type { AssetSnapshot, JobSnapshot } from "@bosun/code-server";

/**
 * The steps of a job as the webserver sees them, from snapshots only (it never builds a plan from
 * code): topological order (ties keep declaration order, like the engine's plan) and who reads whom.
 */
export interface StepGraph {
  readonly order: readonly string[];
  downstreamOf(key: string): readonly string[];
  has(key: string): boolean;
}

export function stepGraphOfJob(job: JobSnapshot): StepGraph {
  const names = new Set(job.nodes.map((n) => n.name));
  return buildStepGraph(
    job.nodes.map((node) => ({
      key: node.name,
      upstream: [
        ...Object.values(node.inputs).flatMap((input) => [...(input.fromSteps ?? [])]),
        ...(node.after ?? []),
      ].filter((source) => names.has(source)),
    })),
  );
}

/** Ad-hoc asset runs: one step per selected asset, reading the selected assets upstream of it. */
export function stepGraphOfAssets(assets: readonly AssetSnapshot[], selection: readonly string[]): StepGraph {
  const selected = new Set(selection);
  const byKey = new Map(assets.map((a) => [a.key, a]));
  return buildStepGraph(
    assets
      .filter((a) => selected.has(a.key))
      .map((asset) => ({
        key: asset.stepKey,
        upstream: asset.upstream
          .filter((key) => selected.has(key))
          .map((key) => byKey.get(key)?.stepKey)
          .filter((key): key is string => key !== undefined),
      })),
  );
}

function buildStepGraph(nodes: readonly { key: string; upstream: readonly string[] }[]): StepGraph {
  const position = new Map(nodes.map((n, i) => [n.key, i]));
  const downstream = new Map<string, string[]>(nodes.map((n) => [n.key, []]));
  const waiting = new Map<string, number>();
  for (const node of nodes) {
    const upstream = new Set(node.upstream);
    waiting.set(node.key, upstream.size);
    for (const source of upstream) downstream.get(source)?.push(node.key);
  }
  const order: string[] = [];
  const ready = nodes.filter((n) => waiting.get(n.key) === 0).map((n) => n.key);
  while (ready.length > 0) {
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const key = ready.shift()!;
    order.push(key);
    for (const next of downstream.get(key) ?? []) {
      const left = waiting.get(next)! - 1;
      waiting.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  // A cycle cannot come from a valid snapshot; keep any leftover steps rather than lose them.
  for (const node of nodes) if (!order.includes(node.key)) order.push(node.key);
  return {
    order,
    downstreamOf: (key) => downstream.get(key) ?? [],
    has: (key) => position.has(key),
  };
}
