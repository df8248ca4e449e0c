import {
  CodeLocationUnavailableError,
  type ExecutionPlanRequest,
  type ExecutionPlanResult,
} from "@bosun/code-server";
import { ApiError } from "../api/api-error.ts";
import type { WebserverContext } from "../server/webserver-context.ts";

export type ValidPlan = Extract<ExecutionPlanResult, { ok: true }>;

/**
 * Asks the location's code server to build the run's plan: the only place where user code judges a launch
 * (job, run config, step selection, partition). A bad run config becomes 400 with each config path; a
 * server that cannot be reached, 503 for this location only.
 */
export async function validateLaunch(
  ctx: WebserverContext,
  location: string,
  request: ExecutionPlanRequest,
): Promise<ValidPlan> {
  let result: ExecutionPlanResult;
  try {
    result = await ctx.workspace.client(location).executionPlan(request);
  } catch (error) {
    if (error instanceof CodeLocationUnavailableError)
      throw new ApiError("LOCATION_UNAVAILABLE", error.message, { location });
    throw error;
  }
  if (result.ok) return result;
  if (result.configIssues.length > 0) {
    const issues = result.configIssues.map((issue) => ({
      field: issue.path === "(root)" || issue.path === "" ? "body.runConfig" : `body.runConfig.${issue.path}`,
      path: issue.path,
      message: issue.message,
    }));
    throw new ApiError(
      "INVALID_RUN_CONFIG",
      `invalid run config: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`,
      { issues },
    );
  }
  throw new ApiError("INVALID_LAUNCH", result.message, { location, job: request.jobName });
}
