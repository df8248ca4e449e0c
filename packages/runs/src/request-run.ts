import { randomUUID } from "node:crypto";
import type { LocationEntry, Workspace } from "@bosun/code-server";
import { PARTITION_TAG, stringifyTags } from "@bosun/core";
import type { BosunStorage, CreateRunOnceResult } from "@bosun/storage";
import type { RunRequest } from "bosun";

/** Tag on runs a sensor or schedule requested with a run key. */
export const RUN_KEY_TAG = "bosun/run_key";
/** Tag naming the schedule that requested a run. */
export const SCHEDULE_NAME_TAG = "bosun/schedule_name";
/** Tag naming the sensor that requested a run. */
export const SENSOR_NAME_TAG = "bosun/sensor_name";
/** The tick that requested the run. */
export const TICK_ID_TAG = "bosun/tick_id";

/** A schedule or sensor asked for a run the code location refuses (unknown job, bad config or partition). */
export class InvalidRunRequestError extends Error {
  constructor(
    readonly location: string,
    readonly jobName: string,
    detail: string,
  ) {
    super(`run request for job "${jobName}" of code location "${location}" is invalid: ${detail}`);
    this.name = "InvalidRunRequestError";
  }
}

/**
 * Queues the run a schedule or sensor requested, once per idempotency key: when a run with the key
 * exists (an earlier attempt at the same tick, or the same sensor run key) it is returned instead and the
 * code server is not asked again. The code server validates the request (job, config, partition) first,
 * so an invalid request creates nothing.
 */
export async function requestRun(
  resources: { readonly storage: BosunStorage; readonly workspace: Workspace },
  location: LocationEntry,
  jobName: string,
  request: RunRequest,
  idempotencyKey: string,
  systemTags: Readonly<Record<string, string>>,
): Promise<CreateRunOnceResult> {
  const { storage, workspace } = resources;
  const existing = await storage.runQueue.getRunByIdempotencyKey(idempotencyKey);
  if (existing) return { run: existing, created: false };
  const job = location.snapshot?.jobs.find((candidate) => candidate.name === jobName);
  if (!job) throw new InvalidRunRequestError(location.name, jobName, "no such job in the code location");
  const partitionKey = request.partitionKey ?? null;
  const plan = await workspace.client(location.name).executionPlan({
    jobName,
    runConfig: request.runConfig ?? {},
    partitionKey,
  });
  if (!plan.ok) {
    const issues = plan.configIssues.map((issue) => `${issue.path}: ${issue.message}`);
    throw new InvalidRunRequestError(
      location.name,
      jobName,
      [plan.message, ...issues].filter(Boolean).join("; "),
    );
  }
  const tags: Record<string, string> = {
    ...stringifyTags(job.tags),
    ...(request.tags ?? {}),
    ...systemTags,
    ...(request.runKey !== undefined ? { [RUN_KEY_TAG]: request.runKey } : {}),
    ...(partitionKey !== null ? { [PARTITION_TAG]: partitionKey } : {}),
  };
  return storage.runQueue.createRunOnce(
    {
      runId: randomUUID(),
      jobName,
      status: "QUEUED",
      tags,
      runConfig: request.runConfig ?? {},
      codeLocation: location.name,
      partitionKey,
    },
    idempotencyKey,
  );
}
