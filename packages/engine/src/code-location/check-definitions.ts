import type { JsonValue } from "@bosun/core";
import { DefinitionError, type Definitions, type NodeComputation } from "bosun";
import type { CheckIssue, DefinitionChecks, ValueCheck, ValueCheckLoader } from "./definition-checks.ts";

/** A problem one check found, with the object that carries the value. */
export interface DefinitionProblem {
  /** What carries the value: `job "etl"`, `op "load"`, `asset "raw/users"`, `container_context`. */
  readonly object: string;
  /** The job's, op's or asset's name; null for the container context. */
  readonly name: string | null;
  /** The checked value: `tag bosun-k8s/config`, `k8s`. */
  readonly value: string;
  readonly issue: CheckIssue;
}

/** A value to check, before its check is loaded. */
interface Target {
  readonly object: string;
  readonly name: string | null;
  readonly value: string;
  readonly load: ValueCheckLoader;
  readonly key: string;
  readonly input: unknown;
}

/**
 * Runs plugins' checks over the tags of every job, op and asset and over the container context's
 * sections. A check is loaded only when some value needs it, and once. Returns every problem, in
 * definition order (container context, jobs, assets, ops).
 */
export async function checkDefinitions(
  definitions: Definitions,
  checks: DefinitionChecks,
  containerContext: JsonValue | null = null,
): Promise<DefinitionProblem[]> {
  const targets = [...contextTargets(checks, containerContext), ...tagTargets(definitions, checks)];
  const loaded = new Map<string, Promise<ValueCheck>>();
  const problems: DefinitionProblem[] = [];
  for (const target of targets) {
    let check = loaded.get(target.key);
    if (check === undefined) {
      check = target.load();
      loaded.set(target.key, check);
    }
    for (const issue of (await check)(target.input)) {
      problems.push({ object: target.object, name: target.name, value: target.value, issue });
    }
  }
  return problems;
}

/**
 * `checkDefinitions`, throwing one `DefinitionError` (code `INVALID_CONFIG`) that lists every problem
 * and names the jobs, ops and assets involved.
 */
export async function assertDefinitionsPassChecks(
  definitions: Definitions,
  checks: DefinitionChecks,
  containerContext: JsonValue | null = null,
): Promise<void> {
  const problems = await checkDefinitions(definitions, checks, containerContext);
  if (problems.length === 0) return;
  const lines = problems.map(describeProblem);
  const names = [...new Set(problems.flatMap((problem) => (problem.name === null ? [] : [problem.name])))];
  throw new DefinitionError(
    "INVALID_CONFIG",
    lines.length === 1 ? lines[0]! : `${lines.length} problems:\n  ${lines.join("\n  ")}`,
    names,
  );
}

/** `job "etl" tag bosun-k8s/config: \`container_config.resourcs\`: unknown field; did you mean \`resources\`?` */
export function describeProblem(problem: DefinitionProblem): string {
  const where = problem.object === "container_context" ? "" : `${problem.object} `;
  return `${where}${problem.value}: \`${problem.issue.path}\`: ${problem.issue.detail}`;
}

function contextTargets(checks: DefinitionChecks, containerContext: JsonValue | null): Target[] {
  if (containerContext === null || typeof containerContext !== "object" || Array.isArray(containerContext))
    return [];
  const targets: Target[] = [];
  for (const [section, load] of Object.entries(checks.containerContext ?? {})) {
    const input = containerContext[section];
    if (input === undefined) continue;
    targets.push({
      object: "container_context",
      name: null,
      value: `container_context.${section}`,
      load,
      key: `context:${section}`,
      input,
    });
  }
  return targets;
}

function tagTargets(definitions: Definitions, checks: DefinitionChecks): Target[] {
  const tagChecks = Object.entries(checks.tags ?? {});
  if (tagChecks.length === 0) return [];
  const targets: Target[] = [];
  const add = (object: string, name: string, tags: Readonly<Record<string, JsonValue>>) => {
    for (const [tag, load] of tagChecks) {
      const input = tags[tag];
      if (input === undefined || input === null) continue;
      targets.push({ object, name, value: `tag ${tag}`, load, key: `tag:${tag}`, input });
    }
  };
  const ops = new Map<string, NodeComputation>();
  for (const job of definitions.jobs.values()) {
    add(`job "${job.name}"`, job.name, job.tags);
    for (const node of job.graph().nodes) {
      // An asset's computation is checked once, as the asset, below.
      if (node.computation.assetKey === null) ops.set(node.computation.opName, node.computation);
    }
  }
  for (const { definition } of definitions.assetGraph.assets.values()) {
    add(`asset "${definition.key}"`, definition.key, definition.computation.tags);
  }
  for (const [opName, computation] of ops) add(`op "${opName}"`, opName, computation.tags);
  return targets;
}
