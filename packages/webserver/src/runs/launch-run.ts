import { randomUUID } from "node:crypto";
import { type JsonValue, PARTITION_TAG, type RunRecord, stringifyTags } from "@bosun/core";
import { AD_HOC_ASSET_JOB } from "bosun";
import { ApiError, invalidInput } from "../api/api-error.ts";
import { requireJob, requireLocation, requireSnapshot, suggest } from "../server/lookups.ts";
import type { WebserverContext } from "../server/webserver-context.ts";
import { checkRunTags } from "./check-run-tags.ts";
import { validateLaunch } from "./validate-launch.ts";

/** Body of `POST /api/runs`. */
export interface LaunchBody {
  readonly location: string;
  readonly job?: string;
  readonly assetSelection?: readonly string[];
  readonly runConfig?: JsonValue;
  readonly tags?: Readonly<Record<string, string>>;
  readonly partitionKey?: string | null;
}

/**
 * Launch from the API: validated by the code server, then stored QUEUED (storage adds its RUN_ENQUEUED event); the
 * daemon's run coordinator admits and launches it. Job tags are the base, the request's tags win, and a
 * partitioned run gets the partition tag. Nothing is stored when validation fails.
 */
export async function launchRun(ctx: WebserverContext, body: LaunchBody): Promise<RunRecord> {
  const assetSelection =
    body.assetSelection && body.assetSelection.length > 0 ? [...body.assetSelection] : null;
  if ((body.job === undefined) === (assetSelection === null)) {
    throw invalidInput([
      { field: "body.job", message: "give either job or a non-empty assetSelection (exactly one of them)" },
    ]);
  }
  const entry = requireLocation(ctx, body.location);
  const snapshot = requireSnapshot(entry);
  if (body.job !== undefined) requireJob(entry, body.job);
  for (const key of assetSelection ?? []) {
    if (!snapshot.assets.some((a) => a.key === key)) {
      throw new ApiError(
        "ASSET_NOT_FOUND",
        `no asset "${key}" in code location "${entry.name}"${suggest(
          key,
          snapshot.assets.map((a) => a.key),
        )}`,
        { location: entry.name, assetKey: key },
      );
    }
  }
  const tagIssues = await checkRunTags(ctx.runTagChecks, body.tags);
  if (tagIssues.length > 0) throw invalidInput(tagIssues);
  const partitionKey = body.partitionKey ?? null;
  const plan = await validateLaunch(ctx, entry.name, {
    jobName: body.job ?? AD_HOC_ASSET_JOB,
    assetSelection,
    runConfig: body.runConfig ?? {},
    stepKeysToExecute: null,
    partitionKey,
  });
  const jobSnapshot = snapshot.jobs.find((j) => j.name === plan.jobName);
  const tags: Record<string, string> = { ...stringifyTags(jobSnapshot?.tags), ...(body.tags ?? {}) };
  if (partitionKey !== null) tags[PARTITION_TAG] = partitionKey;
  const run = await ctx.storage.runs.createRun({
    runId: randomUUID(),
    jobName: plan.jobName,
    status: "QUEUED",
    tags,
    runConfig: body.runConfig ?? {},
    codeLocation: entry.name,
    partitionKey,
    assetSelection: assetSelection ? [...plan.assetKeys] : null,
  });
  // Storage writes the RUN_ENQUEUED event with the run, atomically.
  return run;
}
