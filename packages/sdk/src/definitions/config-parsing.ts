import { didYouMean } from "@bosun/core";
import type { z } from "zod";

/** One problem of a config value, with its dotted path. */
export interface ConfigIssue {
  /** Dotted path into the run config, e.g. `ops.fetch_numbers.config.count`. */
  readonly path: string;
  readonly message: string;
}

/**
 * Parses one op's, asset's or resource's config with its zod schema, as a run does: no schema takes no
 * config; a missing config means "all defaults" for an object schema; a key the schema does not declare
 * is an error naming the nearest declared key (zod would drop it silently). Problems are pushed onto
 * `issues` with paths under `path`; the parsed value is returned (undefined when there were problems).
 * The engine's run config and `bosun/testing` both parse config here, so a test sees the errors a run
 * would.
 *
 * @example
 * const issues: ConfigIssue[] = [];
 * parseConfig(z.object({ count: z.number() }), { cont: 3 }, "ops.numbers.config", issues);
 * // issues: [{ path: "ops.numbers.config.cont", message: 'unknown key; did you mean "count"?' }]
 */
export function parseConfig(
  schema: z.ZodType | undefined,
  value: unknown,
  path: string,
  issues: ConfigIssue[],
): unknown {
  if (!schema) {
    if (value !== undefined) issues.push({ path, message: "this takes no config" });
    return undefined;
  }
  const before = issues.length;
  reportUnknownKeys(schema, value, path, issues);
  if (issues.length > before) return undefined;
  let result = schema.safeParse(value);
  // A missing config section means "all defaults" for object schemas.
  if (!result.success && value === undefined) result = schema.safeParse({});
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const suffix = issue.path.length > 0 ? `.${issue.path.map(String).join(".")}` : "";
    issues.push({ path: `${path}${suffix}`, message: describeIssue(issue, schema) });
  }
  return undefined;
}

/**
 * zod objects drop unknown keys silently by default; a misspelt config key must be an error instead, so
 * walk plain object schemas and report keys they do not declare (loose objects are left alone).
 */
function reportUnknownKeys(schema: unknown, value: unknown, path: string, issues: ConfigIssue[]): void {
  const inner = unwrap(schema);
  const shape = (inner as { shape?: Record<string, unknown> } | undefined)?.shape;
  const catchall = (inner as { _zod?: { def?: { catchall?: unknown } } } | undefined)?._zod?.def?.catchall;
  if (!shape || !isPlainObject(value)) return;
  const isLoose =
    catchall !== undefined &&
    (catchall as { _zod?: { def?: { type?: string } } })._zod?.def?.type !== "never";
  for (const [key, child] of Object.entries(value)) {
    if (key in shape) reportUnknownKeys(shape[key], child, `${path}.${key}`, issues);
    else if (!isLoose)
      issues.push({ path: `${path}.${key}`, message: `unknown key${didYouMean(key, Object.keys(shape))}` });
  }
}

/** Sees through optional/default/nullable wrappers to the schema that holds the shape. */
function unwrap(schema: unknown): unknown {
  let current = schema as { _zod?: { def?: { type?: string; innerType?: unknown } } } | undefined;
  for (let i = 0; i < 10 && current?._zod?.def?.innerType; i++) {
    current = current._zod.def.innerType as typeof current;
  }
  return current;
}

function describeIssue(issue: z.core.$ZodIssue, schema: z.ZodType): string {
  if (issue.code === "unrecognized_keys") {
    const known = knownKeysAt(schema, issue.path);
    return issue.keys.map((key) => `unknown key "${key}"${didYouMean(key, known)}`).join("; ");
  }
  return issue.message;
}

function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: unknown = schema;
  for (const part of path) {
    const shape = (current as { shape?: Record<string, unknown> }).shape;
    current = shape?.[String(part)];
  }
  const shape = (current as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
