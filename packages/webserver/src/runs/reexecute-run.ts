import type { RunRecord } from "@bosun/core";
import type { ReexecutionMode } from "@bosun/runs";
import { requireRun } from "../server/lookups.ts";
import type { WebserverContext } from "../server/webserver-context.ts";
import { answeringRunRequestErrors } from "./run-request-api-error.ts";

/** Body of `POST /api/runs/{id}/reexecute`. */
export interface ReexecuteBody {
  readonly mode: ReexecutionMode;
  readonly stepKeys?: readonly string[];
}

/**
 * A new QUEUED run that re-executes a finished one (all steps, from failure, or the selected ones), made
 * by the run-request service from the plan the run's code location returns.
 */
export async function reexecuteRun(
  ctx: WebserverContext,
  parentRunId: string,
  body: ReexecuteBody,
): Promise<RunRecord> {
  await requireRun(ctx, parentRunId);
  return answeringRunRequestErrors(() =>
    ctx.runRequests.reexecute({ parentRunId, mode: body.mode, stepKeys: body.stepKeys, status: "QUEUED" }),
  );
}
