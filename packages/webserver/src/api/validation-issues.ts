import { nearest } from "@bosun/core";
import type { FieldIssue } from "./api-error.ts";

/** The parts of an Ajv error we read (fastify hands them over as `error.validation`). */
export interface SchemaValidationIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
  /** The offending value (present because the validator runs with `verbose: true`). */
  readonly data?: unknown;
  /** Present because the validator runs with `verbose: true`. */
  readonly parentSchema?: {
    readonly properties?: Record<string, unknown>;
    readonly enum?: readonly unknown[];
  };
}

const CONTEXT_NAMES: Readonly<Record<string, string>> = {
  body: "body",
  querystring: "query",
  params: "params",
  headers: "headers",
};

/**
 * Turns schema validation errors into issues naming the field (`body.mode`, `query.limit`), what was
 * expected, and for a misspelt key or value the nearest valid one.
 */
export function issuesFromValidation(
  context: string | undefined,
  errors: readonly SchemaValidationIssue[],
): FieldIssue[] {
  const root = CONTEXT_NAMES[context ?? "body"] ?? context ?? "body";
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const issue = toIssue(root, error);
    const key = `${issue.field}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function toIssue(root: string, error: SchemaValidationIssue): FieldIssue {
  const at = fieldPath(root, error.instancePath);
  switch (error.keyword) {
    case "required":
      return { field: join(at, String(error.params.missingProperty)), message: "is required" };
    case "additionalProperties": {
      const key = String(error.params.additionalProperty);
      const known = Object.keys(error.parentSchema?.properties ?? {});
      const suggestion = nearest(key, known);
      return {
        field: join(at, key),
        message: `unknown field${suggestion ? `; did you mean "${suggestion}"?` : known.length > 0 ? ` (expected one of: ${known.join(", ")})` : ""}`,
      };
    }
    case "enum": {
      const allowed = (error.params.allowedValues as readonly unknown[] | undefined) ?? [];
      const suggestion =
        typeof error.data === "string" ? nearest(error.data, allowed.map(String)) : undefined;
      return {
        field: at,
        message: `must be one of: ${allowed.map(String).join(", ")}${suggestion ? `; did you mean "${suggestion}"?` : ""}`,
      };
    }
    default:
      return { field: at, message: error.message ?? `failed "${error.keyword}" check` };
  }
}

function fieldPath(root: string, instancePath: string): string {
  let out = root;
  for (const raw of instancePath.split("/").slice(1)) {
    const part = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    out = /^\d+$/.test(part) ? `${out}[${part}]` : join(out, part);
  }
  return out;
}

/** `base.key`, or `base["odd key"]` when the key is not an identifier, or `base[3]` for a list index. */
export function join(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}
