import { isPlainObject } from "../validation/model-schema.ts";
import { fieldStrategy } from "./merge-keys.ts";
import { strategicMergePatch } from "./patch.ts";

/**
 * A reduced server-side apply. Each field manager's applied field set is remembered; applying
 * merges the configuration into the live object (lists by their merge keys) and removes the
 * fields this manager set last time but no longer sets, unless another manager also applied
 * them. Conflicts between managers are not detected: the last applier wins (as with
 * `--force-conflicts`).
 */
type JsonObject = Record<string, unknown>;

/** Field paths set by a configuration: `.spec.replicas`, `.spec.template.spec.containers[name="web"].image`. */
export function appliedFields(config: unknown, model: string | undefined, prefix = ""): Set<string> {
  const out = new Set<string>();
  walk(config, model, prefix, out);
  return out;
}

function walk(value: unknown, model: string | undefined, prefix: string, out: Set<string>): void {
  if (!isPlainObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    if (prefix === "" && (key === "apiVersion" || key === "kind")) continue;
    if (prefix === ".metadata" && (key === "name" || key === "namespace" || key === "resourceVersion"))
      continue;
    const path = `${prefix}.${JSON.stringify(key)}`;
    out.add(path);
    const strategy = fieldStrategy(model, key);
    if (Array.isArray(item) && strategy.list === "merge") {
      for (const element of item) {
        if (!isPlainObject(element)) continue;
        const itemPath = `${path}[${JSON.stringify(element[strategy.mergeKey!])}]`;
        out.add(itemPath);
        walk(element, strategy.model, itemPath, out);
      }
    } else if (isPlainObject(item)) {
      walk(item, strategy.map ? undefined : strategy.model, path, out);
    }
  }
}

interface Step {
  readonly field: string;
  readonly itemKey?: string;
}

function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  const re = /\.("(?:[^"\\]|\\.)*")(?:\[("(?:[^"\\]|\\.)*"|[^\]]*)\])?/g;
  for (const m of path.matchAll(re)) steps.push({ field: JSON.parse(m[1]!), itemKey: m[2] });
  return steps;
}

function removePath(object: JsonObject, path: string, model: string | undefined): void {
  const steps = parsePath(path);
  let cursor: unknown = object;
  let currentModel = model;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (!isPlainObject(cursor)) return;
    const last = i === steps.length - 1;
    const strategy = fieldStrategy(currentModel, step.field);
    if (step.itemKey !== undefined) {
      const list = cursor[step.field];
      if (!Array.isArray(list)) return;
      const index = list.findIndex(
        (e) => isPlainObject(e) && JSON.stringify(e[strategy.mergeKey!]) === step.itemKey,
      );
      if (index < 0) return;
      if (last) {
        list.splice(index, 1);
        return;
      }
      cursor = list[index];
      currentModel = strategy.model;
      continue;
    }
    if (last) {
      delete cursor[step.field];
      return;
    }
    cursor = cursor[step.field];
    currentModel = strategy.map ? undefined : strategy.model;
  }
}

/**
 * Applies `config` for `manager` on top of `live`. `owned` maps each manager to the fields it
 * applied; it is updated in place.
 */
export function serverSideApply(
  live: JsonObject,
  config: JsonObject,
  model: string,
  manager: string,
  owned: Map<string, Set<string>>,
): JsonObject {
  const next = appliedFields(config, model);
  const previous = owned.get(manager) ?? new Set<string>();
  const merged = strategicMergePatch(live, stripDirectives(config), model) as JsonObject;
  const othersOwn = (path: string) => {
    for (const [other, fields] of owned) if (other !== manager && fields.has(path)) return true;
    return false;
  };
  const stale = [...previous]
    .filter((p) => !next.has(p) && !othersOwn(p))
    .sort((a, b) => a.length - b.length);
  // Remove shallow paths first: a removed parent makes its children moot.
  for (const path of stale) removePath(merged, path, model);
  owned.set(manager, next);
  return merged;
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isPlainObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith("$")) out[k] = stripDirectives(v);
  return out;
}
