import type { JsonValue, SerializableFailure } from "@bosun/core";
import type { ConfigIssue } from "@bosun/engine";
import type { RunRequest } from "bosun";
import type { DefinitionsSnapshot } from "./snapshot.ts";

/**
 * How processes that never import user code (webserver, daemon, agent) talk to a code location. The gRPC
 * client implements it; each call fails with `CodeLocationUnavailableError` when the server cannot be reached.
 */
export interface CodeLocationClient {
  /** Identifies the server process and its code: a new id means the snapshot must be fetched again. */
  ping(): Promise<{ readonly serverId: string }>;
  /** The definitions, or the error that stopped the code from loading. */
  snapshot(): Promise<
    { readonly snapshot: DefinitionsSnapshot } | { readonly loadError: SerializableFailure }
  >;
  /** Validates a launch (job, config, steps, partition) and returns the plan's step keys, or the problems. */
  executionPlan(request: ExecutionPlanRequest): Promise<ExecutionPlanResult>;
  evaluateSchedule(name: string, scheduledTime: Date): Promise<InstigatorEvaluation>;
  evaluateSensor(
    name: string,
    cursor: string | null,
    lastRunKey: string | null,
  ): Promise<InstigatorEvaluation>;
  shutdown(): Promise<void>;
  close(): void;
}

/** What to plan: a job (or an ad-hoc asset selection) with its run config, step selection and partition. */
export interface ExecutionPlanRequest {
  readonly jobName: string;
  readonly assetSelection?: readonly string[] | null;
  readonly runConfig?: JsonValue;
  readonly stepKeysToExecute?: readonly string[] | null;
  readonly partitionKey?: string | null;
}

/** A step of a plan as the code location describes it: enough to walk the graph without the code. */
export interface PlanStepSummary {
  readonly key: string;
  /** Steps whose outputs this step reads, in declaration order. */
  readonly upstream: readonly string[];
}

/** The steps and assets a run of the request would execute, or why it cannot run. */
export type ExecutionPlanResult =
  | {
      readonly ok: true;
      /** The job that runs (the ad-hoc asset job for an asset selection). */
      readonly jobName: string;
      /** The steps this run executes, in plan order. */
      readonly stepKeys: readonly string[];
      /** The assets those steps materialize. */
      readonly assetKeys: readonly string[];
      /** Every step of the job's plan, executed or not, in plan order: what re-execution chooses from. */
      readonly steps: readonly PlanStepSummary[];
    }
  /** `configIssues` when the run config is wrong (each with its path); `message` for everything else. */
  | { readonly ok: false; readonly message: string; readonly configIssues: readonly ConfigIssue[] };

/**
 * What a schedule tick or sensor evaluation asked for (run requests, a skip reason, the sensor's new cursor),
 * or the error the user's code threw.
 */
export type InstigatorEvaluation =
  | {
      readonly ok: true;
      readonly runRequests: readonly RunRequest[];
      readonly skipReason: string | null;
      /** Sensors only. */
      readonly cursor: string | null;
    }
  | { readonly ok: false; readonly error: SerializableFailure };

/** The code server of a location cannot be reached; names the location and its address. */
export class CodeLocationUnavailableError extends Error {
  constructor(
    readonly location: string,
    readonly address: string,
    options?: { cause?: unknown },
  ) {
    super(`code location "${location}" at ${address} is unreachable`, options);
    this.name = "CodeLocationUnavailableError";
  }
}
