import type { ExecutionPlanRequest, ExecutionPlanResult } from "@bosun/code-server";
import type { RunCodeLocation } from "./code-locations.ts";
import { InvalidRunConfigError, RunRequestRefusedError } from "./run-request-errors.ts";

export type ValidPlan = Extract<ExecutionPlanResult, { ok: true }>;

/**
 * Asks the run's code location for its execution plan: the one place where user code judges a request
 * (job, asset selection, run config, steps, partition). A refusal becomes `InvalidRunConfigError` (with
 * each config path) or `RunRequestRefusedError`; an unreachable server's `CodeLocationUnavailableError`
 * passes through.
 */
export async function planRequest(
  location: RunCodeLocation,
  request: ExecutionPlanRequest,
): Promise<ValidPlan> {
  const result = await location.client.executionPlan(request);
  if (result.ok) return result;
  if (result.configIssues.length > 0)
    throw new InvalidRunConfigError(location.name, request.jobName, result.message, result.configIssues);
  throw new RunRequestRefusedError(location.name, request.jobName, result.message);
}
