import { nearest } from "@bosun/core";
import type { z } from "zod";

/**
 * Turns zod issues into one line each: the field path, what was expected, and for a misspelt key the
 * nearest valid one (found by walking the schema to the object that holds the key).
 */
export function describeConfigIssues(
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly string[],
): string[] {
  return issues.flatMap((issue) => {
    const where = [...prefix, ...issue.path.map(String)].join(".");
    if (issue.code === "unrecognized_keys") {
      const valid = keysAt(schema, issue.path);
      return issue.keys.map((key) => {
        // A key missing its unit suffix ("start_timeout") is too far for an edit distance; a prefix still tells.
        const suggestion = nearest(key, valid) ?? valid.find((candidate) => candidate.startsWith(key));
        const hint = suggestion
          ? `did you mean "${suggestion}"?`
          : `expected one of: ${valid.join(", ") || "(no keys)"}`;
        return `${where ? `${where}.` : ""}${key}: unknown key (${hint})`;
      });
    }
    if (issue.code === "invalid_type")
      return [`${where}: expected ${issue.expected === "int" ? "integer" : issue.expected}`];
    if (issue.code === "invalid_union") return describeUnionIssue(schema, issue, prefix, where);
    return [`${where}: ${issue.message}`];
  });
}

/**
 * A value no branch of a union accepts. When exactly one branch got past the type check (the value is
 * the object form, say, with a bad field), that branch's problems are the useful ones; otherwise the
 * message lists the types the union takes ("expected number or object").
 */
function describeUnionIssue(
  schema: z.ZodType,
  issue: z.core.$ZodIssueInvalidUnion,
  prefix: readonly string[],
  where: string,
): string[] {
  const wrongType = (branch: readonly z.core.$ZodIssue[]) =>
    branch.length > 0 && branch.every((sub) => sub.code === "invalid_type" && sub.path.length === 0);
  const plausible = issue.errors.filter((branch) => !wrongType(branch));
  if (plausible.length === 1) {
    const nested = plausible[0]!.map((sub) => ({ ...sub, path: [...issue.path, ...sub.path] }));
    return describeConfigIssues(schema, nested, prefix);
  }
  const expected = [
    ...new Set(
      issue.errors.flatMap((branch) =>
        branch.flatMap((sub) => (sub.code === "invalid_type" && sub.path.length === 0 ? [sub.expected] : [])),
      ),
    ),
  ];
  if (plausible.length === 0 && expected.length > 0) return [`${where}: expected ${expected.join(" or ")}`];
  return [`${where}: ${issue.message}`];
}

interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly options?: readonly z.ZodType[];
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The object schemas `schema` may be once wrappers (optional, default, pipe, union) are looked through. */
function objects(schema: z.ZodType): Def[] {
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
      return def.innerType ? objects(def.innerType) : [];
    case "pipe":
      return def.in ? objects(def.in) : [];
    case "union":
      return (def.options ?? []).flatMap(objects);
    default:
      return [def];
  }
}

/** Keys valid in the object found at `path` inside `schema`. */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: Def[] = objects(schema);
  for (const segment of path) {
    const next: Def[] = [];
    for (const def of current) {
      if (def.type === "object" && typeof segment === "string" && def.shape?.[segment]) {
        next.push(...objects(def.shape[segment]));
      } else if (def.type === "array" && typeof segment === "number" && def.element) {
        next.push(...objects(def.element));
      }
    }
    current = next;
  }
  return [...new Set(current.flatMap((def) => (def.type === "object" ? Object.keys(def.shape ?? {}) : [])))];
}
