import { isPlainObject } from "../validation/model-schema.ts";
import { ApiError } from "./api-error.ts";
import { fieldStrategy } from "./merge-keys.ts";

type Json = unknown;
type JsonObject = Record<string, unknown>;

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result: JsonObject = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function decodePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw ApiError.badRequest(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function parentOf(
  doc: Json,
  tokens: string[],
  pointer: string,
): { parent: JsonObject | unknown[]; last: string } {
  let cursor: unknown = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(cursor)) cursor = cursor[Number(token)];
    else if (isPlainObject(cursor)) cursor = cursor[token];
    else cursor = undefined;
    if (cursor === undefined) throw ApiError.unprocessable(`jsonpatch: path ${pointer} does not exist`);
  }
  if (!Array.isArray(cursor) && !isPlainObject(cursor))
    throw ApiError.unprocessable(`jsonpatch: path ${pointer} does not exist`);
  return { parent: cursor, last: tokens[tokens.length - 1]! };
}

function getAt(doc: Json, pointer: string): unknown {
  let cursor: unknown = doc;
  for (const token of decodePointer(pointer)) {
    if (Array.isArray(cursor)) cursor = cursor[Number(token)];
    else if (isPlainObject(cursor)) cursor = Object.hasOwn(cursor, token) ? cursor[token] : undefined;
    else cursor = undefined;
    if (cursor === undefined) throw ApiError.unprocessable(`jsonpatch: path ${pointer} does not exist`);
  }
  return cursor;
}

function arrayIndex(parent: unknown[], last: string, allowEnd: boolean, pointer: string): number {
  if (last === "-" && allowEnd) return parent.length;
  const index = Number(last);
  if (!/^\d+$/.test(last) || index > parent.length || (!allowEnd && index === parent.length))
    throw ApiError.unprocessable(`jsonpatch: index out of range in ${pointer}`);
  return index;
}

/** RFC 6902 JSON patch. */
export function jsonPatch(document: Json, operations: unknown): Json {
  if (!Array.isArray(operations)) throw ApiError.badRequest("json patch must be an array of operations");
  let doc = structuredClone(document);
  const add = (pointer: string, value: unknown) => {
    const tokens = decodePointer(pointer);
    if (tokens.length === 0) {
      doc = structuredClone(value);
      return;
    }
    const { parent, last } = parentOf(doc, tokens, pointer);
    if (Array.isArray(parent))
      parent.splice(arrayIndex(parent, last, true, pointer), 0, structuredClone(value));
    else parent[last] = structuredClone(value);
  };
  const remove = (pointer: string) => {
    const tokens = decodePointer(pointer);
    const { parent, last } = parentOf(doc, tokens, pointer);
    if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, false, pointer), 1);
    else {
      if (!Object.hasOwn(parent, last))
        throw ApiError.unprocessable(
          `jsonpatch remove operation does not apply: doc is missing path: ${pointer}`,
        );
      delete parent[last];
    }
  };
  for (const raw of operations as JsonPatchOp[]) {
    switch (raw.op) {
      case "add":
        add(raw.path, raw.value);
        break;
      case "remove":
        remove(raw.path);
        break;
      case "replace":
        getAt(doc, raw.path);
        if (raw.path === "") doc = structuredClone(raw.value);
        else {
          remove(raw.path);
          add(raw.path, raw.value);
        }
        break;
      case "move": {
        const value = getAt(doc, raw.from ?? "");
        remove(raw.from ?? "");
        add(raw.path, value);
        break;
      }
      case "copy":
        add(raw.path, getAt(doc, raw.from ?? ""));
        break;
      case "test":
        if (JSON.stringify(getAt(doc, raw.path)) !== JSON.stringify(raw.value))
          throw ApiError.unprocessable(`testing value ${raw.path} failed`);
        break;
      default:
        throw ApiError.badRequest(`Unexpected kind: ${String(raw.op)}`);
    }
  }
  return doc;
}

const ORDER = "$setElementOrder/";
const DELETE_PRIMITIVE = "$deleteFromPrimitiveList/";

/**
 * Strategic merge patch: like a JSON merge patch, but lists with a merge key are merged item by
 * item, and the `$patch`, `$retainKeys`, `$setElementOrder/` and `$deleteFromPrimitiveList/`
 * directives that kubectl sends are honoured.
 */
export function strategicMergePatch(original: Json, patch: Json, model: string | undefined): Json {
  if (!isPlainObject(patch)) return structuredClone(patch);
  if (patch.$patch === "replace") {
    const { $patch: _, ...rest } = patch;
    return structuredClone(rest);
  }
  if (patch.$patch === "delete") return undefined;
  const result: JsonObject = isPlainObject(original) ? { ...original } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === "$patch" || key === "$retainKeys" || key.startsWith(ORDER)) continue;
    if (key.startsWith(DELETE_PRIMITIVE)) {
      const field = key.slice(DELETE_PRIMITIVE.length);
      const remove = new Set((Array.isArray(value) ? value : []).map((v) => JSON.stringify(v)));
      if (Array.isArray(result[field]))
        result[field] = (result[field] as unknown[]).filter((v) => !remove.has(JSON.stringify(v)));
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    const strategy = fieldStrategy(model, key);
    if (Array.isArray(value) && strategy.list === "merge") {
      result[key] = mergeList(
        result[key],
        value,
        strategy.mergeKey!,
        strategy.model,
        patch[`${ORDER}${key}`],
      );
    } else if (Array.isArray(value) && strategy.list === "set") {
      const merged = Array.isArray(result[key]) ? [...(result[key] as unknown[])] : [];
      for (const item of value)
        if (!merged.some((m) => JSON.stringify(m) === JSON.stringify(item))) merged.push(item);
      result[key] = merged;
    } else if (isPlainObject(value)) {
      const itemModel = strategy.map ? undefined : strategy.model;
      const merged = strategy.map
        ? mapOfModels(result[key], value, strategy.model)
        : strategicMergePatch(result[key], value, itemModel);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else result[key] = structuredClone(value);
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const key of Object.keys(result)) if (!keep.has(key)) delete result[key];
  }
  return result;
}

function mapOfModels(original: Json, patch: JsonObject, model: string | undefined): Json {
  const result: JsonObject = isPlainObject(original) ? { ...original } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else
      result[key] = model ? strategicMergePatch(result[key], value, model) : mergePatch(result[key], value);
  }
  return result;
}

function mergeList(
  original: Json,
  patch: unknown[],
  mergeKey: string,
  model: string | undefined,
  order: unknown,
): unknown[] {
  if (patch.some((item) => isPlainObject(item) && item.$patch === "replace")) {
    return patch
      .filter((item) => !(isPlainObject(item) && item.$patch === "replace"))
      .map((i) => structuredClone(i));
  }
  const result = Array.isArray(original) ? original.map((i) => structuredClone(i)) : [];
  const keyOf = (item: unknown) =>
    isPlainObject(item) ? JSON.stringify(item[mergeKey]) : JSON.stringify(item);
  for (const item of patch) {
    const index = result.findIndex((existing) => keyOf(existing) === keyOf(item));
    if (isPlainObject(item) && item.$patch === "delete") {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) result[index] = strategicMergePatch(result[index], item, model);
    else result.push(strategicMergePatch(undefined, item, model));
  }
  if (Array.isArray(order)) {
    const rank = new Map(order.map((o, i) => [keyOf(o), i]));
    const ordered = result
      .filter((i) => rank.has(keyOf(i)))
      .sort((a, b) => rank.get(keyOf(a))! - rank.get(keyOf(b))!);
    const rest = result.filter((i) => !rank.has(keyOf(i)));
    return [...ordered, ...rest];
  }
  return result;
}
