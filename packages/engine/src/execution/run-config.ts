import type { JsonValue } from "@bosun/core";
import { didYouMean } from "@bosun/core";
import { type ConfigIssue, type Definitions, type JobDefinition, parseConfig } from "bosun";
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

export type { ConfigIssue };

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
    ops.set(step.key, parseConfig(step.computation.configSchema, entry, `ops.${step.key}.config`, issues));
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
    resources.set(key, parseConfig(definition.configSchema, entry, `resources.${key}.config`, issues));
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
