import { createHash } from "node:crypto";

/**
 * JSON with object keys sorted at every depth, so that equal values always give equal text (and equal
 * hashes) whatever order their keys were built in. Array order is kept: it carries meaning.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** Hex sha256 of the canonical JSON of `value`. */
export function canonicalHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  // Dates and other objects with a JSON form are hashed as that form.
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === "function") return sortKeys(json.call(value));
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined) sorted[key] = sortKeys(child);
  }
  return sorted;
}
