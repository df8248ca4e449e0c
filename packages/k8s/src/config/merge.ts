/**
 * THE merge rules for layered Kubernetes config. Nothing else in Bosun merges Kubernetes config.
 *
 * Layers are applied lowest precedence first; each layer's `mergeBehavior` says how that layer
 * merges onto everything below it:
 *
 * - DEEP (default): scalars are replaced by the more specific layer; maps merge recursively; lists
 *   are appended (lower layers' items first) with exact duplicates removed, the first kept; lists
 *   under a key named `command` or `args` are replaced, at any depth (`livenessProbe.exec.command`
 *   too). A list or map merged onto a different kind of value is an error.
 * - SHALLOW: within each section, every top-level field the layer gives replaces the lower value
 *   whole (`container_config.env` as a list, `container_config.resources` as a map).
 *
 * A layer with no config changes nothing. Merging is associative, so a scope made of several
 * layers (shortcut fields, then its raw config) gives the same result as the scope merged at once.
 *
 * Every value carries the name of the layer that set it, and a value a later layer replaced is
 * remembered on the value that replaced it, so `explain` can say where each field came from and
 * what it overrode with no second implementation of the rules.
 */
import { K8sMergeTypeError } from "../errors.ts";
import { type FieldPath, formatPath } from "../util/field-path.ts";
import { isPlainObject, stableStringify } from "../util/plain-object.ts";
import type { K8sSections, MergeBehavior, SectionName } from "./raw-config.ts";

/** One layer of config, lowest precedence first when given as a list. */
export interface K8sConfigLayer {
  /** Shown by `explain` and in errors: `launcher`, `container_context.run_k8s_config`, `job tag bosun-k8s/config`, a file name. */
  readonly name: string;
  readonly sections: K8sSections;
  readonly mergeBehavior: MergeBehavior;
}

/** Which layer set one leaf of the merged config. */
export interface FieldOrigin {
  /** `container_config.resources.limits.cpu`; list items as `pod_spec_config.imagePullSecrets[1]`. */
  readonly path: string;
  readonly value: unknown;
  readonly layer: string;
}

/** A value a later layer replaced: a scalar, a `command`/`args` list, or a SHALLOW layer's top-level field. */
export interface FieldOverride {
  /** The replaced field, as in `FieldOrigin.path`. */
  readonly path: string;
  /** The value before it was replaced. */
  readonly value: unknown;
  /** The layer that had set it (several, comma-separated, for a map or list of mixed origin). */
  readonly layer: string;
  /** The layer that replaced it. */
  readonly by: string;
}

/** One replaced value, kept on the node that replaced it (oldest first). */
interface Replacement {
  readonly value: unknown;
  readonly layer: string;
  readonly by: string;
}

/** Keys whose lists are replaced rather than appended, at any depth. */
export const REPLACED_LIST_KEYS: ReadonlySet<string> = new Set(["command", "args"]);

type Tracked = (
  | { readonly kind: "map"; readonly layer: string; readonly entries: Map<string, Tracked> }
  | {
      readonly kind: "list";
      /** The layer that last gave this list (named for an empty list). */
      readonly layer: string;
      readonly items: readonly { readonly value: unknown; readonly layer: string }[];
    }
  | { readonly kind: "scalar"; readonly value: unknown; readonly layer: string }
) & { readonly replaced?: readonly Replacement[] };

/** The layers that set anything inside `node`, in order of first appearance. */
function layersIn(node: Tracked): string[] {
  switch (node.kind) {
    case "scalar":
      return [node.layer];
    case "list":
      return node.items.length === 0 ? [node.layer] : [...new Set(node.items.map((item) => item.layer))];
    case "map": {
      const layers = [...node.entries.values()].flatMap(layersIn);
      return layers.length === 0 ? [node.layer] : [...new Set(layers)];
    }
  }
}

/** `from` in place of `onto`, remembering what `onto` was (and what it had replaced). */
function replacing(onto: Tracked | undefined, from: Tracked): Tracked {
  if (onto === undefined) return from;
  const replaced: Replacement[] = [
    ...(onto.replaced ?? []),
    { value: untrack(onto), layer: layersIn(onto).join(", "), by: from.layer },
  ];
  return { ...from, replaced };
}

function track(value: unknown, layer: string): Tracked {
  if (Array.isArray(value))
    return { kind: "list", layer, items: value.map((item) => ({ value: structuredClone(item), layer })) };
  if (isPlainObject(value)) {
    const entries = new Map<string, Tracked>();
    for (const [key, item] of Object.entries(value))
      if (item !== undefined) entries.set(key, track(item, layer));
    return { kind: "map", layer, entries };
  }
  return { kind: "scalar", value, layer };
}

function untrack(node: Tracked): unknown {
  switch (node.kind) {
    case "scalar":
      return node.value;
    case "list":
      return node.items.map((item) => structuredClone(item.value));
    case "map": {
      const out: Record<string, unknown> = {};
      for (const [key, child] of node.entries) out[key] = untrack(child);
      return out;
    }
  }
}

function kindOf(node: Tracked): string {
  return node.kind === "map" ? "a map" : node.kind === "list" ? "a list" : "a scalar";
}

function withoutDuplicates<T extends { readonly value: unknown }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const identity = stableStringify(item.value);
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}

/**
 * DEEP merge of one value. With nothing below (`onto` undefined) the value is still walked, so a
 * list is deduplicated the same way whether or not a lower layer had it.
 */
function deepMerge(
  onto: Tracked | undefined,
  from: Tracked,
  key: string | undefined,
  path: FieldPath,
): Tracked {
  if (from.kind === "list") {
    if (key !== undefined && REPLACED_LIST_KEYS.has(key)) return replacing(onto, from);
    if (onto !== undefined && onto.kind !== "list") {
      throw new K8sMergeTypeError(formatPath(path), from.layer, kindOf(onto), "a list");
    }
    return {
      kind: "list",
      layer: from.layer,
      items: withoutDuplicates([...(onto?.items ?? []), ...from.items]),
    };
  }
  if (from.kind === "map") {
    if (onto === undefined) {
      const entries = new Map<string, Tracked>();
      for (const [childKey, child] of from.entries) {
        entries.set(childKey, deepMerge(undefined, child, childKey, [...path, childKey]));
      }
      return { kind: "map", layer: from.layer, entries };
    }
    if (onto.kind !== "map") throw new K8sMergeTypeError(formatPath(path), from.layer, kindOf(onto), "a map");
    const entries = new Map(onto.entries);
    for (const [childKey, child] of from.entries) {
      entries.set(childKey, deepMerge(entries.get(childKey), child, childKey, [...path, childKey]));
    }
    return { kind: "map", layer: onto.layer, entries };
  }
  return replacing(onto, from);
}

type TrackedSections = Map<SectionName, Tracked & { kind: "map" }>;

function applyLayer(base: TrackedSections, layer: K8sConfigLayer): TrackedSections {
  const out: TrackedSections = new Map(base);
  for (const [section, value] of Object.entries(layer.sections) as [SectionName, Record<string, unknown>][]) {
    if (value === undefined) continue;
    const from = track(value, layer.name) as Tracked & { kind: "map" };
    const onto = out.get(section);
    if (layer.mergeBehavior === "SHALLOW") {
      // Each top-level field replaces the lower one whole; nothing below it is merged or deduplicated.
      const entries = new Map(onto?.entries ?? []);
      for (const [key, child] of from.entries) entries.set(key, replacing(entries.get(key), child));
      out.set(section, { kind: "map", layer: onto?.layer ?? from.layer, entries });
    } else {
      out.set(section, deepMerge(onto, from, section, [section]) as Tracked & { kind: "map" });
    }
  }
  return out;
}

function mergeTracked(layers: readonly K8sConfigLayer[]): TrackedSections {
  let merged: TrackedSections = new Map();
  for (const layer of layers) merged = applyLayer(merged, layer);
  return merged;
}

function sectionsFrom(merged: TrackedSections): K8sSections {
  const out: K8sSections = {};
  for (const [section, node] of merged) out[section] = untrack(node) as Record<string, unknown>;
  return out;
}

/**
 * Merges `from` onto `onto` with `from`'s behavior: the single-step form of `mergeK8sLayers`.
 *
 * @example
 * mergeK8sSections({ pod_spec_config: { dnsPolicy: "ClusterFirst" } }, { pod_spec_config: { dnsPolicy: "Default" } }, "DEEP")
 * // → { pod_spec_config: { dnsPolicy: "Default" } }
 */
export function mergeK8sSections(onto: K8sSections, from: K8sSections, behavior: MergeBehavior): K8sSections {
  return mergeK8sLayers([
    { name: "onto", sections: onto, mergeBehavior: "DEEP" },
    { name: "from", sections: from, mergeBehavior: behavior },
  ]);
}

/** Merges layers, lowest precedence first. */
export function mergeK8sLayers(layers: readonly K8sConfigLayer[]): K8sSections {
  return sectionsFrom(mergeTracked(layers));
}

/**
 * Merges layers and records, for every leaf and list item of the result, which layer set it, and
 * every value a later layer replaced.
 */
export function explainK8sLayers(layers: readonly K8sConfigLayer[]): {
  readonly sections: K8sSections;
  readonly origins: readonly FieldOrigin[];
  readonly overrides: readonly FieldOverride[];
} {
  const merged = mergeTracked(layers);
  const origins: FieldOrigin[] = [];
  const overrides: FieldOverride[] = [];
  for (const [section, node] of merged) collectOrigins(node, [section], origins, overrides);
  return { sections: sectionsFrom(merged), origins, overrides };
}

function collectOrigins(
  node: Tracked,
  path: FieldPath,
  out: FieldOrigin[],
  overrides: FieldOverride[],
): void {
  for (const replaced of node.replaced ?? []) overrides.push({ path: formatPath(path), ...replaced });
  switch (node.kind) {
    case "scalar":
      out.push({ path: formatPath(path), value: node.value, layer: node.layer });
      return;
    case "list":
      if (node.items.length === 0) {
        out.push({ path: formatPath(path), value: [], layer: node.layer });
        return;
      }
      node.items.forEach((item, index) => {
        out.push({
          path: formatPath([...path, index]),
          value: structuredClone(item.value),
          layer: item.layer,
        });
      });
      return;
    case "map":
      if (node.entries.size === 0 && path.length > 1) {
        out.push({ path: formatPath(path), value: {}, layer: node.layer });
        return;
      }
      for (const [key, child] of node.entries) collectOrigins(child, [...path, key], out, overrides);
  }
}
