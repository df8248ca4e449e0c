import { didYouMean } from "@bosun/core";
import { type AssetDefinition, assetStepKey } from "./asset.ts";
import { DefinitionError } from "./definition-error.ts";
import type { GraphNode, InputBinding, JobGraph } from "./graph-model.ts";

export interface ResolvedAsset {
  readonly definition: AssetDefinition;
  /** Input name → upstream asset key, for the upstream assets whose values `run` receives. */
  readonly upstream: Readonly<Record<string, string>>;
  /** Every upstream asset key, those passed to `run` and those only waited for, without repeats. */
  readonly dependsOn: readonly string[];
}

/** All assets of a code location with their dependencies resolved both ways. */
export interface AssetGraph {
  readonly assets: ReadonlyMap<string, ResolvedAsset>;
  readonly downstream: ReadonlyMap<string, readonly string[]>;
}

export function buildAssetGraph(definitions: readonly AssetDefinition[]): AssetGraph {
  const byKey = new Map<string, AssetDefinition>();
  for (const definition of definitions) {
    if (byKey.has(definition.key)) {
      throw new DefinitionError("DUPLICATE_NAME", `two assets have the key "${definition.key}"`, [
        definition.key,
      ]);
    }
    byKey.set(definition.key, definition);
  }
  const assets = new Map<string, ResolvedAsset>();
  const downstream = new Map<string, string[]>([...byKey.keys()].map((key) => [key, []]));
  for (const definition of definitions) {
    const dependsOn = [...new Set([...Object.values(definition.inputs), ...definition.nonArgumentDeps])];
    for (const key of dependsOn) assertKnown(definition, key, byKey);
    assets.set(definition.key, { definition, upstream: definition.inputs, dependsOn });
    for (const key of dependsOn) downstream.get(key)!.push(definition.key);
  }
  assertAcyclic(assets);
  return { assets, downstream };
}

function assertKnown(
  definition: AssetDefinition,
  key: string,
  byKey: ReadonlyMap<string, AssetDefinition>,
): void {
  if (byKey.has(key)) return;
  throw new DefinitionError(
    "UNKNOWN_DEPENDENCY",
    // An asset cannot depend on itself, so its own key is no suggestion.
    `asset "${definition.key}" depends on unknown asset "${key}"${didYouMean(
      key,
      [...byKey.keys()].filter((k) => k !== definition.key),
    )}`,
    [definition.key, key],
  );
}

function assertAcyclic(assets: ReadonlyMap<string, ResolvedAsset>): void {
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (key: string): void => {
    if (state.get(key) === "done") return;
    if (state.get(key) === "visiting") {
      const cycle = [...path.slice(path.indexOf(key)), key];
      throw new DefinitionError("DEPENDENCY_CYCLE", `assets form a cycle: ${cycle.join(" -> ")}`, cycle);
    }
    state.set(key, "visiting");
    path.push(key);
    for (const upstream of assets.get(key)!.dependsOn) visit(upstream);
    path.pop();
    state.set(key, "done");
  };
  for (const key of assets.keys()) visit(key);
}

/**
 * Resolves an asset selection to keys. Terms are comma-separated (or given as a list):
 * `key` or `prefix/key`; `group:name`; `*` for all; `+key` for the key and everything upstream of it;
 * `key+` for the key and everything downstream; `+key+` for both.
 */
export function selectAssets(graph: AssetGraph, selection: string | readonly string[]): string[] {
  const terms = (typeof selection === "string" ? selection.split(",") : [...selection])
    .map((t) => t.trim())
    .filter(Boolean);
  if (terms.length === 0) throw new DefinitionError("INVALID_SELECTION", "the asset selection is empty");
  const selected = new Set<string>();
  for (const term of terms) {
    if (term === "*") {
      for (const key of graph.assets.keys()) selected.add(key);
      continue;
    }
    if (term.startsWith("group:")) {
      const group = term.slice("group:".length);
      const members = [...graph.assets.values()]
        .filter((a) => a.definition.group === group)
        .map((a) => a.definition.key);
      if (members.length === 0) {
        const groups = new Set([...graph.assets.values()].map((a) => a.definition.group));
        throw new DefinitionError(
          "INVALID_SELECTION",
          `no asset is in group "${group}"${didYouMean(group, groups)}`,
          [group],
        );
      }
      for (const key of members) selected.add(key);
      continue;
    }
    const withUpstream = term.startsWith("+");
    const withDownstream = term.endsWith("+");
    const key = term.replace(/^\+/, "").replace(/\+$/, "");
    if (!graph.assets.has(key)) {
      throw new DefinitionError(
        "INVALID_SELECTION",
        `no asset has the key "${key}"${didYouMean(key, graph.assets.keys())}`,
        [key],
      );
    }
    selected.add(key);
    if (withUpstream) walk(key, (k) => graph.assets.get(k)!.dependsOn, selected);
    if (withDownstream) walk(key, (k) => graph.downstream.get(k) ?? [], selected);
  }
  return [...graph.assets.keys()].filter((key) => selected.has(key));
}

function walk(start: string, next: (key: string) => readonly string[], into: Set<string>): void {
  const stack = [start];
  while (stack.length > 0) {
    for (const key of next(stack.pop()!)) {
      if (!into.has(key)) {
        into.add(key);
        stack.push(key);
      }
    }
  }
}

/** The graph of a run that materializes `keys`: upstream assets outside the selection are loaded from storage. */
export function assetJobGraph(graph: AssetGraph, keys: readonly string[]): JobGraph {
  const selected = new Set(keys);
  const nodes: GraphNode[] = [];
  for (const key of keys) {
    const resolved = graph.assets.get(key)!;
    const inputs: Record<string, InputBinding> = {};
    for (const [inputName, upstreamKey] of Object.entries(resolved.upstream)) {
      inputs[inputName] = selected.has(upstreamKey)
        ? { kind: "output", node: assetStepKey(upstreamKey), output: "result" }
        : {
            kind: "asset",
            assetKey: upstreamKey,
            ioManagerKey: graph.assets.get(upstreamKey)!.definition.computation.ioManagerKey,
          };
    }
    // Dependencies outside the selection are not waited for: they are not part of this run.
    const after = resolved.definition.nonArgumentDeps.filter((k) => selected.has(k)).map(assetStepKey);
    nodes.push({
      name: assetStepKey(key),
      computation: resolved.definition.computation,
      inputs,
      ...(after.length > 0 ? { after } : {}),
    });
  }
  return { nodes };
}
