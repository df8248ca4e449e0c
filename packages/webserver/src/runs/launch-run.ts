import type { RunRecord } from "@bosun/core";
import { invalidInput } from "../api/api-error.ts";
import { requireLocation, requireSnapshot } from "../server/lookups.ts";
import type { WebserverContext } from "../server/webserver-context.ts";
import { checkRunTags } from "./check-run-tags.ts";
import type { LaunchBody } from "./launch-body.ts";
import { answeringRunRequestErrors } from "./run-request-api-error.ts";

/**
 * Launch from the API: the run-request service validates it with the code location and stores it QUEUED
 * (with its RUN_ENQUEUED event); the daemon's run coordinator admits and launches it. Nothing is stored
 * when validation fails.
 */
export async function launchRun(ctx: WebserverContext, body: LaunchBody): Promise<RunRecord> {
  // 404 for an unknown location and 503 for one that is not loaded, as on every location route.
  requireSnapshot(requireLocation(ctx, body.location));
  const tagIssues = await checkRunTags(ctx.runTagChecks, body.tags);
  if (tagIssues.length > 0) throw invalidInput(tagIssues);
  return answeringRunRequestErrors(() =>
    ctx.runRequests.launch({
      location: body.location,
      jobName: body.job,
      assetSelection: body.assetSelection,
      runConfig: body.runConfig,
      tags: body.tags,
      partitionKey: body.partitionKey,
      status: "QUEUED",
    }),
  );
}
