import type { RunRecord } from "@bosun/core";
import type { BosunStorage } from "@bosun/storage";
import type { ExecutionPlan } from "./plan.ts";

async function succeededSteps(storage: BosunStorage, runId: string): Promise<Set<string>> {
  const events = await storage.events.getEvents(runId, { types: ["STEP_SUCCESS"] });
  return new Set(events.map((e) => e.stepKey).filter((k): k is string => k !== null));
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
