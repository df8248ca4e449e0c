import { randomUUID } from "node:crypto";
import type { JsonValue, RunRecord, RunStatus } from "@bosun/core";
import { PARENT_RUN_ID_TAG, PARTITION_TAG, ROOT_RUN_ID_TAG, stringifyTags } from "@bosun/core";
import { prepareRun, type ReexecutionMode, stepsToReexecute } from "@bosun/engine";
import type { BosunStorage } from "@bosun/storage";
import { RunNotFoundError } from "@bosun/storage";
import type { Definitions } from "bosun";

/** What a launch asks for: a job or an asset selection, with run config, tags and partition. */
export interface LaunchRequest {
  /** A job name, or an asset selection for an ad-hoc asset run. */
  readonly jobName?: string;
  readonly assetSelection?: readonly string[];
  readonly runConfig?: JsonValue;
  readonly tags?: Readonly<Record<string, string>>;
  readonly partitionKey?: string | null;
  readonly codeLocation?: string | null;
  /** QUEUED for the run coordinator; NOT_STARTED when the caller executes it directly. */
  readonly status: Extract<RunStatus, "QUEUED" | "NOT_STARTED">;
}

/**
 * Validates a launch against the code (job, config, partition) and only then stores the run, so an
 * invalid launch leaves nothing behind. Job tags are the base; the request's tags win.
 */
export async function createRun(
  storage: BosunStorage,
  definitions: Definitions,
  request: LaunchRequest,
): Promise<RunRecord> {
  const assetSelection =
    request.assetSelection && request.assetSelection.length > 0 ? [...request.assetSelection] : null;
  const prepared = prepareRun(definitions, {
    jobName: request.jobName ?? "",
    assetSelection,
    runConfig: request.runConfig,
    partitionKey: request.partitionKey ?? null,
  });
  const tags = { ...stringifyTags(prepared.job.tags), ...(request.tags ?? {}) };
  if (prepared.partitionKey) tags[PARTITION_TAG] = prepared.partitionKey;
  return storage.runs.createRun({
    runId: randomUUID(),
    jobName: prepared.job.name,
    status: request.status,
    tags,
    runConfig: request.runConfig ?? {},
    codeLocation: request.codeLocation ?? null,
    partitionKey: prepared.partitionKey,
    assetSelection: assetSelection ? [...prepared.job.assetKeys] : null,
  });
}

/** Stores a new run that re-executes `parentRunId` (all steps, from failure, or the selected ones). */
export async function createReexecution(
  storage: BosunStorage,
  definitions: Definitions,
  request: {
    readonly parentRunId: string;
    readonly mode: ReexecutionMode;
    readonly stepKeys?: readonly string[];
    readonly status: Extract<RunStatus, "QUEUED" | "NOT_STARTED">;
  },
): Promise<RunRecord> {
  const parent = await storage.runs.getRun(request.parentRunId);
  if (!parent) throw new RunNotFoundError(request.parentRunId);
  const prepared = prepareRun(definitions, { ...parent, stepKeysToExecute: null });
  const stepKeysToExecute = await stepsToReexecute(
    storage,
    parent,
    prepared.plan,
    request.mode,
    request.stepKeys,
  );
  const rootRunId = parent.rootRunId ?? parent.runId;
  return storage.runs.createRun({
    runId: randomUUID(),
    jobName: parent.jobName,
    status: request.status,
    tags: { ...parent.tags, [PARENT_RUN_ID_TAG]: parent.runId, [ROOT_RUN_ID_TAG]: rootRunId },
    runConfig: parent.runConfig,
    codeLocation: parent.codeLocation,
    partitionKey: parent.partitionKey,
    assetSelection: parent.assetSelection,
    stepKeysToExecute,
    parentRunId: parent.runId,
    rootRunId,
  });
}
