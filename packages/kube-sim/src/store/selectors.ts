import { ApiError } from "../apiserver/api-error.ts";
import type { KObject } from "./k8s-object.ts";

/**
 * Label selectors (`a=b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`) and field selectors
 * (`metadata.name=x`, `status.phase!=Running`) as parsed by the API server.
 */
export type Requirement =
  | { readonly key: string; readonly op: "=" | "!="; readonly value: string }
  | { readonly key: string; readonly op: "in" | "notin"; readonly values: readonly string[] }
  | { readonly key: string; readonly op: "exists" | "!exists" };

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  if (current.trim() !== "") parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

export function parseLabelSelector(selector: string): Requirement[] {
  return splitTopLevel(selector).map((part) => {
    let m = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (m) {
      const values = m[3]!
        .split(",")
        .map((v) => v.trim())
        .filter((v) => v !== "");
      return { key: m[1]!, op: m[2] as "in" | "notin", values };
    }
    m = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=()]*)$/.exec(part);
    if (m) return { key: m[1]!, op: m[2] === "!=" ? "!=" : "=", value: m[3]! };
    m = /^(!?)\s*([^\s!=()]+)$/.exec(part);
    if (m) return { key: m[2]!, op: m[1] ? "!exists" : "exists" };
    throw ApiError.badRequest(
      `unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`,
    );
  });
}

export function matchesRequirements(
  labels: Record<string, string> | undefined,
  requirements: readonly Requirement[],
): boolean {
  const l = labels ?? {};
  for (const r of requirements) {
    const has = Object.hasOwn(l, r.key);
    const value = l[r.key];
    switch (r.op) {
      case "=":
        if (value !== r.value) return false;
        break;
      case "!=":
        if (has && value === r.value) return false;
        break;
      case "in":
        if (!has || !r.values.includes(value!)) return false;
        break;
      case "notin":
        if (has && r.values.includes(value!)) return false;
        break;
      case "exists":
        if (!has) return false;
        break;
      case "!exists":
        if (has) return false;
        break;
    }
  }
  return true;
}

/** The requirements of a `metav1.LabelSelector` object (`matchLabels`, `matchExpressions`). */
export function requirementsFromLabelSelector(selector: unknown): Requirement[] {
  const s = (selector ?? {}) as {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  };
  const out: Requirement[] = [];
  for (const [key, value] of Object.entries(s.matchLabels ?? {})) out.push({ key, op: "=", value });
  for (const e of s.matchExpressions ?? []) {
    if (e.operator === "In") out.push({ key: e.key, op: "in", values: e.values ?? [] });
    else if (e.operator === "NotIn") out.push({ key: e.key, op: "notin", values: e.values ?? [] });
    else if (e.operator === "Exists") out.push({ key: e.key, op: "exists" });
    else out.push({ key: e.key, op: "!exists" });
  }
  return out;
}

export interface FieldRequirement {
  readonly field: string;
  readonly op: "=" | "!=";
  readonly value: string;
}

/** Field labels each kind supports, beyond `metadata.name` and `metadata.namespace`. */
const FIELD_LABELS: Record<string, readonly string[]> = {
  Pod: [
    "status.phase",
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.serviceAccountName",
    "status.podIP",
    "spec.schedulerName",
  ],
  Event: [
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
  ],
  Secret: ["type"],
  Job: ["status.successful"],
  Namespace: ["status.phase"],
  ReplicaSet: ["status.replicas"],
};

export function parseFieldSelector(selector: string, kind: string): FieldRequirement[] {
  const allowed = ["metadata.name", "metadata.namespace", ...(FIELD_LABELS[kind] ?? [])];
  return splitTopLevel(selector).map((part) => {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(part);
    if (!m) throw ApiError.badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    const field = m[1]!.trim();
    if (!allowed.includes(field)) throw ApiError.badRequest(`field label not supported: ${field}`);
    return { field, op: m[2] === "!=" ? "!=" : "=", value: m[3]!.trim() };
  });
}

function fieldValue(object: KObject, field: string): string {
  let cursor: unknown = object;
  for (const part of field.split(".")) cursor = (cursor as Record<string, unknown> | undefined)?.[part];
  if (field === "source" && cursor && typeof cursor === "object")
    cursor = (cursor as { component?: string }).component;
  return cursor === undefined || cursor === null ? "" : String(cursor);
}

export function matchesFields(object: KObject, requirements: readonly FieldRequirement[]): boolean {
  return requirements.every((r) => (fieldValue(object, r.field) === r.value) === (r.op === "="));
}
