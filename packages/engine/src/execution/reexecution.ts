import type { RunRecord } from "@bosun/core";
import type { BosunStorage } from "@bosun/storage";
import type { ExecutionPlan } from "./plan.ts";

/**
 * Which steps a re-execution runs: `all`, the failed ones and their downstream (`fromFailure`), or the
 * `selected` ones.
 */
export type ReexecutionMode = "all" | "fromFailure" | "selected";

export class NothingToReexecuteError extends Error {
  constructor(readonly runId: string) {
    super(`run ${runId} has no failed or unfinished steps to re-execute from`);
    this.name = "NothingToReexecuteError";
  }
}

async function succeededSteps(storage: BosunStorage, runId: string): Promise<Set<string>> {
  const events = await storage.events.getEvents(runId, { types: ["STEP_SUCCESS"] });
  return new Set(events.map((e) => e.stepKey).filter((k): k is string => k !== null));
}

/**
 * Step keys a re-execution of `parent` runs: everything (`all`, null), the steps that did not succeed and
 * everything downstream of them (`fromFailure`), or the given ones (`selected`).
 */
export async function stepsToReexecute(
  storage: BosunStorage,
  parent: RunRecord,
  plan: ExecutionPlan,
  mode: ReexecutionMode,
  selected?: readonly string[],
): Promise<readonly string[] | null> {
  if (mode === "all") return null;
  if (mode === "selected") {
    for (const key of selected ?? []) plan.step(key);
    return [...(selected ?? [])];
  }
  const succeeded = await succeededSteps(storage, parent.runId);
  const parentExecuted = parent.stepKeysToExecute
    ? new Set(parent.stepKeysToExecute)
    : new Set(plan.steps.map((s) => s.key));
  const chosen = new Set<string>();
  const addWithDownstream = (key: string) => {
    if (chosen.has(key)) return;
    chosen.add(key);
    for (const next of plan.downstreamOf(key)) addWithDownstream(next);
  };
  for (const step of plan.steps)
    if (parentExecuted.has(step.key) && !succeeded.has(step.key)) addWithDownstream(step.key);
  if (chosen.size === 0) throw new NothingToReexecuteError(parent.runId);
  return plan.steps.map((s) => s.key).filter((key) => chosen.has(key));
}

/**
 * For each step a run does not execute, the nearest run up its parent chain in which the step
 * succeeded: that run's stored outputs are what the re-execution reads.
 */
export async function resolveOutputSources(
  storage: BosunStorage,
  run: RunRecord,
  plan: ExecutionPlan,
): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  let missing = plan.steps.map((s) => s.key).filter((key) => !plan.executed.has(key));
  let ancestorId = run.parentRunId;
  while (missing.length > 0 && ancestorId) {
    const ancestor = await storage.runs.getRun(ancestorId);
    if (!ancestor) break;
    const succeeded = await succeededSteps(storage, ancestor.runId);
    for (const key of missing) if (succeeded.has(key)) sources.set(key, ancestor.runId);
    missing = missing.filter((key) => !sources.has(key));
    ancestorId = ancestor.parentRunId;
  }
  return sources;
}
