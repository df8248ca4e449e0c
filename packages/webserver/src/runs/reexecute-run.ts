import { randomUUID } from "node:crypto";
import { isTerminalRunStatus, PARENT_RUN_ID_TAG, ROOT_RUN_ID_TAG, type RunRecord } from "@bosun/core";
import type { ReexecutionMode } from "@bosun/engine";
import { ApiError, invalidInput } from "../api/api-error.ts";
import { requireLocation, requireRun, requireSnapshot, suggest } from "../server/lookups.ts";
import type { WebserverContext } from "../server/webserver-context.ts";
import { type StepGraph, stepGraphOfAssets, stepGraphOfJob } from "./step-graph.ts";
import { validateLaunch } from "./validate-launch.ts";

export interface ReexecuteBody {
  readonly mode: ReexecutionMode;
  readonly stepKeys?: readonly string[];
}

/**
 * A new QUEUED run that re-executes a finished one: every step (`all`), the steps that did not succeed
 * and everything downstream of them (`fromFailure`), or the given steps (`selected`). It carries the
 * parent's config, tags and partition, and links to its parent and the chain's root.
 */
export async function reexecuteRun(
  ctx: WebserverContext,
  parentRunId: string,
  body: ReexecuteBody,
): Promise<RunRecord> {
  const parent = await requireRun(ctx, parentRunId);
  if (!isTerminalRunStatus(parent.status)) {
    throw new ApiError(
      "RUN_NOT_FINISHED",
      `run ${parent.runId} is ${parent.status}: only finished runs can be re-executed`,
      { runId: parent.runId, status: parent.status },
    );
  }
  if (!parent.codeLocation) {
    throw new ApiError(
      "INVALID_LAUNCH",
      `run ${parent.runId} was not launched through a code location, so the webserver cannot re-execute it`,
      { runId: parent.runId },
    );
  }
  const entry = requireLocation(ctx, parent.codeLocation);
  const snapshot = requireSnapshot(entry);
  let graph: StepGraph;
  const job = snapshot.jobs.find((j) => j.name === parent.jobName);
  // An asset run executes exactly its selected assets, whichever job name it carries.
  if (parent.assetSelection) graph = stepGraphOfAssets(snapshot.assets, parent.assetSelection);
  else if (job) graph = stepGraphOfJob(job);
  else
    throw new ApiError(
      "JOB_NOT_FOUND",
      `job "${parent.jobName}" of run ${parent.runId} is no longer in code location "${entry.name}"`,
      { runId: parent.runId, job: parent.jobName, location: entry.name },
    );

  const stepKeysToExecute = await chooseSteps(ctx, parent, graph, body);
  await validateLaunch(ctx, entry.name, {
    jobName: parent.jobName,
    assetSelection: parent.assetSelection,
    runConfig: parent.runConfig,
    stepKeysToExecute,
    partitionKey: parent.partitionKey,
  });
  const rootRunId = parent.rootRunId ?? parent.runId;
  const run = await ctx.storage.runs.createRun({
    runId: randomUUID(),
    jobName: parent.jobName,
    status: "QUEUED",
    tags: { ...parent.tags, [PARENT_RUN_ID_TAG]: parent.runId, [ROOT_RUN_ID_TAG]: rootRunId },
    runConfig: parent.runConfig,
    codeLocation: parent.codeLocation,
    partitionKey: parent.partitionKey,
    assetSelection: parent.assetSelection,
    stepKeysToExecute,
    parentRunId: parent.runId,
    rootRunId,
  });
  return run;
}

async function chooseSteps(
  ctx: WebserverContext,
  parent: RunRecord,
  graph: StepGraph,
  body: ReexecuteBody,
): Promise<readonly string[] | null> {
  switch (body.mode) {
    case "all":
      if (body.stepKeys !== undefined)
        throw invalidInput([{ field: "body.stepKeys", message: 'only allowed with mode "selected"' }]);
      return null;
    case "selected": {
      const keys = body.stepKeys ?? [];
      if (keys.length === 0)
        throw invalidInput([
          { field: "body.stepKeys", message: 'mode "selected" needs at least one step key' },
        ]);
      const issues = keys
        .map((key, i) => ({ key, i }))
        .filter(({ key }) => !graph.has(key))
        .map(({ key, i }) => ({
          field: `body.stepKeys[${i}]`,
          message: `no step "${key}" in job "${parent.jobName}"${suggest(key, graph.order)}`,
        }));
      if (issues.length > 0) throw invalidInput(issues);
      const chosen = new Set(keys);
      return graph.order.filter((key) => chosen.has(key));
    }
    case "fromFailure": {
      if (body.stepKeys !== undefined)
        throw invalidInput([{ field: "body.stepKeys", message: 'only allowed with mode "selected"' }]);
      const successes = await ctx.storage.events.getEvents(parent.runId, { types: ["STEP_SUCCESS"] });
      const succeeded = new Set(successes.map((e) => e.stepKey));
      const executed = new Set(parent.stepKeysToExecute ?? graph.order);
      const chosen = new Set<string>();
      const addWithDownstream = (key: string) => {
        if (chosen.has(key)) return;
        chosen.add(key);
        for (const next of graph.downstreamOf(key)) addWithDownstream(next);
      };
      for (const key of graph.order) if (executed.has(key) && !succeeded.has(key)) addWithDownstream(key);
      if (chosen.size === 0)
        throw new ApiError(
          "NOTHING_TO_REEXECUTE",
          `run ${parent.runId} has no failed or unfinished steps to re-execute from`,
          { runId: parent.runId },
        );
      return graph.order.filter((key) => chosen.has(key));
    }
  }
}
