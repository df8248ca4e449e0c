/**
 * Checks user-written Kubernetes objects against the client's model metadata and rewrites them to
 * the canonical spelling (API camelCase), at every depth.
 *
 * - A key may be written camelCase (`nodeSelector`) or snake_case (`node_selector`); both spellings
 *   of one key in one object is an error.
 * - Keys of `{ [key: string]: T }` fields (labels, annotations, nodeSelector, resource limits) are
 *   user data and are kept as written; only their values are checked.
 * - Unknown keys and wrong types are reported with their path and, for a misspelt key, the nearest
 *   valid field in the user's spelling.
 * - A `null` value means "not set" and is dropped, as the API server does.
 */

import { nearest } from "@bosun/core";
import type { FieldPath } from "../util/field-path.ts";
import { spellLike } from "../util/key-case.ts";
import { describeValue, isPlainObject } from "../util/plain-object.ts";
import { describeKubeType, type KubeType, kubeModel } from "./model-registry.ts";
import { isLabelValue, isQualifiedName } from "./object-names.ts";

/** One problem found in a Kubernetes object; `path` is relative to the object checked. */
export interface KubeIssue {
  readonly path: FieldPath;
  /** What was expected there, e.g. `an integer` or `a field of PodSpec`. */
  readonly expected: string;
  /** For a misspelt key: the nearest valid key, spelt in the user's style. */
  readonly suggestion?: string;
  /** The message without the path: `unknown field; did you mean \`node_selector\`?` */
  readonly message: string;
}

/** A Kubernetes object in canonical form, with the problems found on the way. */
export interface NormalizedKubeObject {
  readonly value: Record<string, unknown>;
  readonly issues: readonly KubeIssue[];
}

/**
 * Checks and canonicalises one Kubernetes object of the generated class `className`
 * (`V1Container`, `V1PodSpec`, `V1ObjectMeta`, `V1JobSpec`, ...).
 *
 * @example
 * normalizeKubeObject("V1PodSpec", { node_selector: { disktype: "ssd" } }).value
 * // → { nodeSelector: { disktype: "ssd" } }
 */
export function normalizeKubeObject(className: string, value: unknown): NormalizedKubeObject {
  const issues: KubeIssue[] = [];
  const normalized = normalizeValue({ kind: "model", model: className }, value, [], issues);
  return { value: isPlainObject(normalized) ? normalized : {}, issues };
}

function normalizeValue(type: KubeType, value: unknown, path: FieldPath, issues: KubeIssue[]): unknown {
  const wrongType = (): unknown => {
    const expected = describeKubeType(type);
    issues.push({ path, expected, message: `expected ${expected}, got ${describeValue(value)}` });
    return value;
  };
  switch (type.kind) {
    case "any":
      return value;
    case "string":
      return typeof value === "string" ? value : wrongType();
    case "date":
      return typeof value === "string" || value instanceof Date ? value : wrongType();
    case "boolean":
      return typeof value === "boolean" ? value : wrongType();
    case "integer":
      return typeof value === "number" && Number.isInteger(value) ? value : wrongType();
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? value : wrongType();
    case "int-or-string":
      return typeof value === "string" || (typeof value === "number" && Number.isInteger(value))
        ? value
        : wrongType();
    case "quantity":
      if (typeof value === "string") return value;
      // `cpu: 1` in YAML is a number; the API accepts it and canonically it is the string "1".
      if (typeof value === "number" && Number.isFinite(value) && value >= 0) return String(value);
      return wrongType();
    case "array":
      if (!Array.isArray(value)) return wrongType();
      return value.map((item, index) => normalizeValue(type.items, item, [...path, index], issues));
    case "map": {
      if (!isPlainObject(value)) return wrongType();
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (item === null) continue;
        out[key] = normalizeValue(type.values, item, [...path, key], issues);
      }
      return out;
    }
    case "model":
      return isPlainObject(value) ? normalizeModel(type.model, value, path, issues) : wrongType();
  }
}

function normalizeModel(
  className: string,
  value: Record<string, unknown>,
  path: FieldPath,
  issues: KubeIssue[],
): Record<string, unknown> {
  const model = kubeModel(className);
  const out: Record<string, unknown> = {};
  const spelledAs = new Map<string, string>();
  for (const [key, item] of Object.entries(value)) {
    const field = model.byKey.get(key);
    if (!field) {
      const suggestion = suggestField(key, model.fields);
      issues.push({
        path: [...path, key],
        expected: `a field of Kubernetes ${model.displayName}`,
        ...(suggestion === undefined ? {} : { suggestion }),
        message:
          suggestion === undefined
            ? `unknown field (not a field of Kubernetes ${model.displayName})`
            : `unknown field; did you mean \`${suggestion}\`?`,
      });
      continue;
    }
    const earlier = spelledAs.get(field.name);
    if (earlier !== undefined) {
      issues.push({
        path: [...path, key],
        expected: "one spelling per field",
        message: `\`${earlier}\` and \`${key}\` are the same field; give it once`,
      });
      continue;
    }
    spelledAs.set(field.name, key);
    if (item === null) continue;
    const normalized = normalizeValue(field.type, item, [...path, key], issues);
    if (className === "V1ObjectMeta" && isPlainObject(normalized)) {
      if (field.name === "labels") checkLabels(normalized, [...path, key], issues);
      if (field.name === "annotations") checkAnnotationKeys(normalized, [...path, key], issues);
    }
    out[field.name] = normalized;
  }
  return out;
}

function suggestField(
  key: string,
  fields: readonly { name: string; snakeName: string }[],
): string | undefined {
  const bySpelling = new Map<string, { name: string; snakeName: string }>();
  for (const field of fields) {
    bySpelling.set(field.name, field);
    bySpelling.set(field.snakeName, field);
  }
  const hit = nearest(key, bySpelling.keys());
  if (hit === undefined) return undefined;
  const field = bySpelling.get(hit)!;
  return spellLike(key, field.snakeName, field.name, "camel");
}

/** Label keys and values are checked at load so a bad one fails here, not at Job creation. */
export function checkLabels(labels: Record<string, unknown>, path: FieldPath, issues: KubeIssue[]): void {
  for (const [key, value] of Object.entries(labels)) {
    if (!isQualifiedName(key)) {
      issues.push({
        path: [...path, key],
        expected: "a label key: [prefix/]name, name ≤ 63 of letters, digits, '-', '_', '.'",
        message:
          "invalid label key: expected [prefix/]name where name is at most 63 letters, digits, '-', '_' or '.' starting and ending with a letter or digit",
      });
    }
    if (typeof value === "string" && value !== "" && !isLabelValue(value)) {
      issues.push({
        path: [...path, key],
        expected: "a label value",
        message: `invalid label value ${JSON.stringify(value)}: expected at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
      });
    }
  }
}

function checkAnnotationKeys(
  annotations: Record<string, unknown>,
  path: FieldPath,
  issues: KubeIssue[],
): void {
  for (const key of Object.keys(annotations)) {
    if (!isQualifiedName(key)) {
      issues.push({
        path: [...path, key],
        expected: "an annotation key: [prefix/]name",
        message:
          "invalid annotation key: expected [prefix/]name where name is at most 63 letters, digits, '-', '_' or '.'",
      });
    }
  }
}
