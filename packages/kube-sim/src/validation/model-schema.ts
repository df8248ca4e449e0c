import { nearest } from "@bosun/core";
import * as k8s from "@kubernetes/client-node";
import type { ValidationIssue } from "./issue.ts";
import { quantity } from "./names.ts";

/**
 * Structural checks driven by the model metadata that `@kubernetes/client-node` generates from
 * the Kubernetes OpenAPI schema: every generated class has a static `attributeTypeMap` listing
 * each JSON field (`baseName`) and its type (`string`, `Array<V1Container>`,
 * `{ [key: string]: string; }`, `IntOrString`, another model class ...).
 */
interface Attribute {
  readonly name: string;
  readonly baseName: string;
  readonly type: string;
  readonly format: string;
}

interface ModelClass {
  getAttributeTypeMap(): Attribute[];
}

const models = k8s as unknown as Record<string, ModelClass | undefined>;
const attributeCache = new Map<string, Map<string, Attribute> | null>();

/** The fields of a model class keyed by JSON name, or null when the class is unknown. */
export function modelFields(model: string): Map<string, Attribute> | null {
  const cached = attributeCache.get(model);
  if (cached !== undefined) return cached;
  const cls = models[model];
  const fields =
    cls && typeof cls.getAttributeTypeMap === "function"
      ? new Map(cls.getAttributeTypeMap().map((a) => [a.baseName, a]))
      : null;
  attributeCache.set(model, fields);
  return fields;
}

/**
 * Fields the generated models type as plain strings but Kubernetes parses as `resource.Quantity`
 * (which YAML often gives as numbers: `cpu: 1`).
 */
const QUANTITY_FIELDS = new Map<string, "quantity" | "quantityMap">([
  ["V1ResourceRequirements.limits", "quantityMap"],
  ["V1ResourceRequirements.requests", "quantityMap"],
  ["V1VolumeResourceRequirements.limits", "quantityMap"],
  ["V1VolumeResourceRequirements.requests", "quantityMap"],
  ["V1EmptyDirVolumeSource.sizeLimit", "quantity"],
  ["V1PersistentVolumeClaimStatus.capacity", "quantityMap"],
  ["V1PersistentVolumeSpec.capacity", "quantityMap"],
  ["V1NodeStatus.capacity", "quantityMap"],
  ["V1NodeStatus.allocatable", "quantityMap"],
  ["V1ResourceQuotaSpec.hard", "quantityMap"],
  ["V1LimitRangeItem.max", "quantityMap"],
  ["V1LimitRangeItem.min", "quantityMap"],
  ["V1LimitRangeItem._default", "quantityMap"],
  ["V1LimitRangeItem.defaultRequest", "quantityMap"],
  ["V1PodSpec.overhead", "quantityMap"],
]);

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function describe(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  if (typeof value === "number") return Number.isInteger(value) ? `integer ${value}` : `number ${value}`;
  if (typeof value === "string")
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value;
}

function typeIssue(path: string, expected: string, value: unknown): ValidationIssue {
  return {
    path,
    reason: "FieldValueTypeInvalid",
    message: `Invalid value: expected ${expected}, got ${describe(value)}`,
  };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function join(path: string, field: string): string {
  return path === "" ? field : `${path}.${field}`;
}

/** Checks `value` against a client-node type string, appending problems to `issues`. */
export function checkType(
  value: unknown,
  type: string,
  format: string,
  path: string,
  issues: ValidationIssue[],
): void {
  // JSON null means "not set" to the API server's decoder.
  if (value === null || value === undefined) return;
  switch (type) {
    case "string":
      if (typeof value !== "string") issues.push(typeIssue(path, "string", value));
      return;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) issues.push(typeIssue(path, "number", value));
      else if ((format === "int32" || format === "int64") && !Number.isInteger(value))
        issues.push(typeIssue(path, "integer", value));
      else if (format === "int32" && (value > 2147483647 || value < -2147483648))
        issues.push({
          path,
          reason: "FieldValueInvalid",
          message: `Invalid value: ${value}: must fit in 32 bits`,
        });
      return;
    case "boolean":
      if (typeof value !== "boolean") issues.push(typeIssue(path, "boolean", value));
      return;
    case "Date":
      if (typeof value !== "string" || !RFC3339.test(value))
        issues.push(typeIssue(path, "RFC 3339 date-time string", value));
      return;
    case "IntOrString":
      if (!(typeof value === "string" || (typeof value === "number" && Number.isInteger(value))))
        issues.push(typeIssue(path, "integer or string", value));
      return;
    case "any":
    case "object":
      return;
  }
  const arrayMatch = /^Array<(.+)>$/.exec(type);
  if (arrayMatch) {
    if (!Array.isArray(value)) {
      issues.push(typeIssue(path, "array", value));
      return;
    }
    value.forEach((item, index) => {
      checkType(item, arrayMatch[1]!, "", `${path}[${index}]`, issues);
    });
    return;
  }
  const mapMatch = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (mapMatch) {
    if (!isPlainObject(value)) {
      issues.push(typeIssue(path, "object", value));
      return;
    }
    for (const [key, item] of Object.entries(value))
      checkType(item, mapMatch[1]!, "", `${path}[${key}]`, issues);
    return;
  }
  checkModel(value, type, path, issues);
}

/** Checks an object against a model class: unknown fields and each known field's type. */
export function checkModel(value: unknown, model: string, path: string, issues: ValidationIssue[]): void {
  const fields = modelFields(model);
  if (!fields) {
    // A type the client library does not describe: accept it rather than invent a schema.
    return;
  }
  if (!isPlainObject(value)) {
    issues.push(typeIssue(path, "object", value));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const attribute = fields.get(key);
    const fieldPath = join(path, key);
    if (!attribute) {
      const suggestion = nearest(key, [...fields.keys()]);
      issues.push({
        path: fieldPath,
        reason: "FieldValueUnknown",
        message: `unknown field${suggestion ? `; did you mean ${suggestion}?` : ""}`,
      });
      continue;
    }
    const special = QUANTITY_FIELDS.get(`${model}.${attribute.name}`);
    if (special) {
      checkQuantity(item, special, fieldPath, issues);
      continue;
    }
    checkType(item, attribute.type, attribute.format, fieldPath, issues);
  }
}

function checkQuantity(
  value: unknown,
  shape: "quantity" | "quantityMap",
  path: string,
  issues: ValidationIssue[],
): void {
  if (value === null || value === undefined) return;
  const one = (item: unknown, itemPath: string) => {
    if (typeof item !== "string" && typeof item !== "number") {
      issues.push(typeIssue(itemPath, "quantity (string or number)", item));
      return;
    }
    for (const problem of quantity(item))
      issues.push({
        path: itemPath,
        reason: "FieldValueInvalid",
        message: `Invalid value: ${JSON.stringify(item)}: ${problem}`,
      });
  };
  if (shape === "quantity") {
    one(value, path);
    return;
  }
  if (!isPlainObject(value)) {
    issues.push(typeIssue(path, "object", value));
    return;
  }
  for (const [key, item] of Object.entries(value)) one(item, `${path}[${key}]`);
}
