import { nearest } from "@bosun/core";
import { apiVersionOf, RESOURCE_TYPES, resourceTypeFor } from "../resources/resource-types.ts";
import { InvalidObjectError, type ValidationIssue } from "./issue.ts";
import { checkModel, isPlainObject } from "./model-schema.ts";
import { checkSemantics } from "./rules.ts";

/**
 * Validates a Kubernetes object the way kube-sim's API server does before writing it: the
 * structure against the API schema (unknown fields, wrong types) and the semantic rules (names,
 * labels, required fields). Returns every issue found; an empty list means valid.
 *
 * @example
 * const issues = validateObject(yaml.parse(manifest));
 * expect(issues).toEqual([]);
 */
export function validateObject(object: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isPlainObject(object)) {
    return [{ path: "", reason: "FieldValueTypeInvalid", message: "Invalid value: expected an object" }];
  }
  const apiVersion = object.apiVersion;
  const kind = object.kind;
  if (typeof apiVersion !== "string" || apiVersion === "")
    issues.push({ path: "apiVersion", reason: "FieldValueRequired", message: "Required value" });
  if (typeof kind !== "string" || kind === "")
    issues.push({ path: "kind", reason: "FieldValueRequired", message: "Required value" });
  if (issues.length > 0) return issues;
  if (apiVersion === "v1" && kind === "List") {
    checkModel({ ...object, items: undefined }, "V1List", "", issues);
    const items = Array.isArray(object.items) ? object.items : [];
    items.forEach((item, index) => {
      for (const issue of validateObject(item))
        issues.push({ ...issue, path: `items[${index}]${issue.path ? `.${issue.path}` : ""}` });
    });
    return issues;
  }
  const type = resourceTypeFor(apiVersion as string, kind as string);
  if (!type) {
    const sameKind = RESOURCE_TYPES.filter((r) => r.kind === kind).map(apiVersionOf);
    if (sameKind.length > 0) {
      issues.push({
        path: "apiVersion",
        reason: "FieldValueNotSupported",
        message: `no kind "${kind}" is registered for version "${apiVersion}"; ${kind} is served as ${sameKind.join(", ")}`,
      });
    } else {
      const suggestion = nearest(
        kind as string,
        RESOURCE_TYPES.map((r) => r.kind),
      );
      issues.push({
        path: "kind",
        reason: "FieldValueNotSupported",
        message: `no kind "${kind}" is registered for version "${apiVersion}"${suggestion ? `; did you mean ${suggestion}?` : ""}`,
      });
    }
    return issues;
  }
  checkModel(object, type.model, "", issues);
  // Semantic rules skip fields that already failed the structural check: one issue per field.
  const semantic: ValidationIssue[] = [];
  checkSemantics(object, type, semantic);
  const broken = new Set(issues.map((i) => i.path));
  for (const issue of semantic) if (!broken.has(issue.path)) issues.push(issue);
  return issues;
}

/** Throws an `InvalidObjectError` listing every issue when `object` is not valid. */
export function assertValidObject(object: unknown): void {
  const issues = validateObject(object);
  if (issues.length === 0) return;
  const o = isPlainObject(object) ? object : {};
  const meta = isPlainObject(o.metadata) ? o.metadata : {};
  const name =
    typeof meta.name === "string"
      ? meta.name
      : typeof meta.generateName === "string"
        ? meta.generateName
        : "";
  throw new InvalidObjectError(typeof o.kind === "string" ? o.kind : "Object", name, issues);
}
