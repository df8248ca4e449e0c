import { isTerminalRunStatus, type RunRecord } from "@bosun/core";
import { ApiError } from "../api/api-error.ts";
import { requireRun } from "../server/lookups.ts";
import type { WebserverContext } from "../server/webserver-context.ts";

/**
 * Stops a run. With a launcher configured (`terminateRun`), it is asked to stop the worker (the run
 * ends CANCELED). Without one, a QUEUED run is canceled directly (no worker exists yet; atomically with the coordinator's admission); any other
 * unfinished run answers 409, since nothing here can reach its worker.
 */
export async function terminateFromApi(ctx: WebserverContext, runId: string): Promise<RunRecord> {
  const run = await requireRun(ctx, runId);
  if (isTerminalRunStatus(run.status)) {
    throw new ApiError("RUN_ALREADY_FINISHED", `run ${run.runId} already ended ${run.status}`, {
      runId: run.runId,
      status: run.status,
    });
  }
  if (ctx.terminateRun) {
    await ctx.terminateRun(run.runId);
  } else if (
    (run.status === "QUEUED" || run.status === "NOT_STARTED") &&
    (await ctx.storage.runQueue.cancelUnstartedRun(
      run.runId,
      "canceled from the webserver before it started",
    ))
  ) {
    // Canceled atomically with respect to the run coordinator's admission.
  } else {
    const current = (await ctx.storage.runs.getRun(run.runId)) ?? run;
    if (isTerminalRunStatus(current.status))
      throw new ApiError("RUN_ALREADY_FINISHED", `run ${run.runId} already ended ${current.status}`, {
        runId: run.runId,
        status: current.status,
      });
    throw new ApiError(
      "CANNOT_TERMINATE",
      `run ${run.runId} is ${current.status}: stopping a run that has left the queue needs a run launcher, and this webserver has none configured (terminate it where the daemon runs, or stop its worker)`,
      { runId: run.runId, status: current.status },
    );
  }
  return (await ctx.storage.runs.getRun(run.runId)) ?? run;
}
