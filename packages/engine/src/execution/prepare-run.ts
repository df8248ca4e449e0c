import type { JsonValue } from "@bosun/core";
import type { Definitions, JobDefinition, TimeWindow } from "bosun";
import { partitionKeyProblem, partitionTimeWindow } from "bosun";
import { buildExecutionPlan, type ExecutionPlan, type PlanStep } from "./plan.ts";
import { type ResolvedRunConfig, resolveRunConfig } from "./run-config.ts";

/** What identifies the work of a run, before or after it is stored. */
export interface RunTarget {
  readonly jobName: string;
  readonly assetSelection?: readonly string[] | null;
  readonly stepKeysToExecute?: readonly string[] | null;
  readonly runConfig?: JsonValue;
  readonly partitionKey?: string | null;
}

/** A run ready to execute: its job, plan, resolved run config and partition. */
export interface PreparedRun {
  readonly job: JobDefinition;
  readonly plan: ExecutionPlan;
  readonly config: ResolvedRunConfig;
  readonly partitionKey: string | null;
  readonly timeWindow: TimeWindow | null;
}

export class PartitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PartitionError";
  }
}

export function jobForTarget(definitions: Definitions, target: RunTarget): JobDefinition {
  return target.assetSelection && target.assetSelection.length > 0
    ? definitions.assetSelectionJob(target.assetSelection)
    : definitions.getJob(target.jobName);
}

/**
 * Everything a run needs from the code, checked: the job, its plan, its config and its partition. Called
 * when a run is created (so a bad run is never stored) and again by every process that executes steps.
 */
export function prepareRun(definitions: Definitions, target: RunTarget, now: Date = new Date()): PreparedRun {
  const job = jobForTarget(definitions, target);
  const plan = buildExecutionPlan(job.graph(), target.stepKeysToExecute);
  const config = resolveRunConfig(definitions, job, plan, target.runConfig);
  const partitionKey = target.partitionKey ?? null;
  if (job.partitions && partitionKey === null) {
    throw new PartitionError(`job "${job.name}" is partitioned: choose a partition (--partition <key>)`);
  }
  if (!job.partitions && partitionKey !== null) {
    throw new PartitionError(
      `job "${job.name}" is not partitioned, but partition "${partitionKey}" was given`,
    );
  }
  if (job.partitions && partitionKey !== null) {
    const problem = partitionKeyProblem(job.partitions, partitionKey, now);
    if (problem) throw new PartitionError(`partition "${partitionKey}" of job "${job.name}" ${problem}`);
  }
  return {
    job,
    plan,
    config,
    partitionKey,
    timeWindow: job.partitions && partitionKey ? partitionTimeWindow(job.partitions, partitionKey) : null,
  };
}

/** An unpartitioned asset materialized in a partitioned run is stored without a partition. */
export function stepPartitionKey(prepared: PreparedRun, step: PlanStep): string | null {
  if (step.computation.assetKey && !step.computation.partitions) return null;
  return prepared.partitionKey;
}
