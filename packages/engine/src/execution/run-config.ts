import type { JsonValue } from "@bosun/core";
import { didYouMean } from "@bosun/core";
import type { Definitions, JobDefinition } from "bosun";
import type { z } from "zod";
import type { ExecutionPlan } from "./plan.ts";

/**
 * Run config shape:
 *   ops:        { <step key>: { config: ... } }       each op's config, checked by its zod schema
 *   resources:  { <resource key>: { config: ... } }   each resource's config
 *   execution:  { config: { ... } }                   merged over the job's executor config
 * The job's default run config is deep-merged under what the launch provides.
 */
export interface ResolvedRunConfig {
  readonly ops: ReadonlyMap<string, unknown>;
  readonly resources: ReadonlyMap<string, unknown>;
  readonly execution: Readonly<Record<string, JsonValue>>;
}

/** One problem of a run config, with its dotted path. */
export interface ConfigIssue {
  /** Dotted path into the run config, e.g. `ops.fetch_numbers.config.count`. */
  readonly path: string;
  readonly message: string;
}

/** A run config that does not fit the job's schemas; lists every problem with its path. */
export class RunConfigError extends Error {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(`invalid run config:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`);
    this.name = "RunConfigError";
  }
}

const TOP_LEVEL_KEYS = ["ops", "resources", "execution"];

export function resolveRunConfig(
  definitions: Definitions,
  jobDefinition: JobDefinition,
  plan: ExecutionPlan,
  provided: JsonValue | undefined,
): ResolvedRunConfig {
  const issues: ConfigIssue[] = [];
  const merged = deepMerge(jobDefinition.defaultRunConfig as JsonValue, provided ?? {});
  if (!isRecord(merged))
    throw new RunConfigError([{ path: "(root)", message: `expected a mapping, got ${kindOf(merged)}` }]);

  for (const key of Object.keys(merged)) {
    if (!TOP_LEVEL_KEYS.includes(key))
      issues.push({
        path: key,
        message: `unknown key${didYouMean(key, TOP_LEVEL_KEYS)} (expected one of ${TOP_LEVEL_KEYS.join(", ")})`,
      });
  }

  const ops = new Map<string, unknown>();
  const opsSection = sectionOf(merged, "ops", issues);
  const stepKeys = plan.steps.map((s) => s.key);
  for (const key of Object.keys(opsSection)) {
    if (!stepKeys.includes(key))
      issues.push({
        path: `ops.${key}`,
        message: `no such op in job "${jobDefinition.name}"${didYouMean(key, stepKeys)}`,
      });
  }
  for (const step of plan.steps) {
    const entry = entryConfig(opsSection, step.key, `ops.${step.key}`, issues);
    ops.set(
      step.key,
      parseWithSchema(step.computation.configSchema, entry, `ops.${step.key}.config`, issues),
    );
  }

  const resources = new Map<string, unknown>();
  const resourcesSection = sectionOf(merged, "resources", issues);
  const resourceKeys = [...definitions.resources.keys()];
  for (const key of Object.keys(resourcesSection)) {
    if (!definitions.resources.has(key))
      issues.push({ path: `resources.${key}`, message: `no such resource${didYouMean(key, resourceKeys)}` });
  }
  const needed = resourcesNeededBy(plan);
  for (const [key, definition] of definitions.resources) {
    // Resources the job never uses need no config, so one job's resources do not burden another's launches.
    if (!needed.has(key) && resourcesSection[key] === undefined) continue;
    const entry = entryConfig(resourcesSection, key, `resources.${key}`, issues);
    resources.set(key, parseWithSchema(definition.configSchema, entry, `resources.${key}.config`, issues));
  }

  const executionSection = sectionOf(merged, "execution", issues);
  for (const key of Object.keys(executionSection)) {
    if (key !== "config")
      issues.push({
        path: `execution.${key}`,
        message: `unknown key${didYouMean(key, ["config"])} (expected config)`,
      });
  }
  const executionConfig = executionSection.config ?? {};
  if (!isRecord(executionConfig))
    issues.push({ path: "execution.config", message: `expected a mapping, got ${kindOf(executionConfig)}` });

  if (issues.length > 0) throw new RunConfigError(issues);
  return { ops, resources, execution: executionConfig as Record<string, JsonValue> };
}

function resourcesNeededBy(plan: ExecutionPlan): Set<string> {
  const needed = new Set<string>();
  for (const step of plan.steps) {
    for (const key of step.computation.requiredResources) needed.add(key);
    needed.add(step.computation.ioManagerKey);
    for (const binding of Object.values(step.inputs))
      if (binding.kind === "asset") needed.add(binding.ioManagerKey);
  }
  return needed;
}

function sectionOf(
  root: Record<string, JsonValue>,
  key: string,
  issues: ConfigIssue[],
): Record<string, JsonValue> {
  const value = root[key];
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) {
    issues.push({ path: key, message: `expected a mapping, got ${kindOf(value)}` });
    return {};
  }
  return value;
}

function entryConfig(
  section: Record<string, JsonValue>,
  key: string,
  path: string,
  issues: ConfigIssue[],
): JsonValue | undefined {
  const entry = section[key];
  if (entry === undefined || entry === null) return undefined;
  if (!isRecord(entry)) {
    issues.push({ path, message: `expected a mapping with a "config" key, got ${kindOf(entry)}` });
    return undefined;
  }
  for (const field of Object.keys(entry)) {
    if (field !== "config")
      issues.push({
        path: `${path}.${field}`,
        message: `unknown key${didYouMean(field, ["config"])} (expected config)`,
      });
  }
  return entry.config;
}

function parseWithSchema(
  schema: z.ZodType | undefined,
  value: JsonValue | undefined,
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
  if (!shape || !isRecord(value)) return;
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

export function isRecord(value: unknown): value is Record<string, JsonValue> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}

/** Mappings merge recursively; anything else from `over` replaces `under`. */
export function deepMerge(under: JsonValue, over: JsonValue): JsonValue {
  if (!isRecord(under) || !isRecord(over)) return over;
  const out: Record<string, JsonValue> = { ...under };
  for (const [key, value] of Object.entries(over))
    out[key] = key in out ? deepMerge(out[key]!, value) : value;
  return out;
}
