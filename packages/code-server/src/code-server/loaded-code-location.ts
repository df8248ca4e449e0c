import { randomBytes } from "node:crypto";
import type { JsonValue } from "@bosun/core";
import { type SerializableFailure, toSerializableFailure } from "@bosun/core";
import {
  type CodeOrigin,
  type DefinitionChecks,
  loadDefinitions,
  prepareRun,
  RunConfigError,
} from "@bosun/engine";
import type { Definitions } from "bosun";
import type {
  CodeLocationClient,
  ExecutionPlanRequest,
  ExecutionPlanResult,
  InstigatorEvaluation,
} from "../code-location/code-location-client.ts";
import type { DefinitionsSnapshot } from "../code-location/snapshot.ts";
import { canonicalHash } from "./canonical-json.ts";
import { buildDefinitionsSnapshot } from "./definitions-snapshot.ts";
import { evaluateSchedule, evaluateSensor } from "./instigator-evaluation.ts";

export interface LoadCodeLocationOptions {
  readonly origin: CodeOrigin;
  readonly containerContext?: JsonValue | null;
  /**
   * Plugins' checks of tags and of the container context (the `bosun` command passes its plugins'):
   * a failing one makes the location a load error, so none of its jobs can be launched.
   */
  readonly checks?: DefinitionChecks;
  /** Called by `shutdown()`; the gRPC server uses it to stop itself. */
  readonly onShutdown?: () => void;
}

/** The code as loaded once, at start: its definitions and snapshot, or why it failed to load. */
export type LoadOutcome =
  | { readonly ok: true; readonly definitions: Definitions; readonly snapshot: DefinitionsSnapshot }
  | { readonly ok: false; readonly loadError: SerializableFailure };

/**
 * A code location loaded in this process, answering the `CodeLocationClient` questions directly. The
 * code server serves one of these over gRPC; tests and single-process tools can use it as a client.
 * A location whose code failed to load still answers: its snapshot call returns the load error, and
 * plans and evaluations report it.
 *
 * @example
 * const location = await loadCodeLocation({ origin: { file: "defs.ts" } });
 * const plan = await location.executionPlan({ jobName: "sum_job" });
 */
export async function loadCodeLocation(options: LoadCodeLocationOptions): Promise<LoadedCodeLocation> {
  let outcome: LoadOutcome;
  try {
    const definitions = await loadDefinitions(options.origin, {
      ...(options.checks ? { checks: options.checks } : {}),
      containerContext: options.containerContext ?? null,
    });
    const snapshot = buildDefinitionsSnapshot(definitions, {
      origin: options.origin,
      containerContext: options.containerContext ?? null,
    });
    outcome = { ok: true, definitions, snapshot };
  } catch (error) {
    outcome = { ok: false, loadError: toSerializableFailure(error) };
  }
  return new LoadedCodeLocation(outcome, options.onShutdown);
}

/**
 * A code location loaded in this process (see `loadCodeLocation`): answers `CodeLocationClient` calls
 * directly from the loaded definitions, or with the load error.
 */
export class LoadedCodeLocation implements CodeLocationClient {
  /**
   * A random id for this process, then the content hash: it changes on every restart and whenever the
   * code changes, which is what tells pollers to fetch the snapshot again.
   */
  readonly serverId: string;

  constructor(
    readonly outcome: LoadOutcome,
    private readonly onShutdown: () => void = () => {},
  ) {
    const codeId = outcome.ok
      ? outcome.snapshot.contentHash
      : `load-error-${canonicalHash(outcome.loadError.message)}`;
    this.serverId = `${randomBytes(6).toString("hex")}-${codeId.slice(0, 28)}`;
  }

  async ping(): Promise<{ readonly serverId: string }> {
    return { serverId: this.serverId };
  }

  async snapshot(): Promise<{ snapshot: DefinitionsSnapshot } | { loadError: SerializableFailure }> {
    return this.outcome.ok ? { snapshot: this.outcome.snapshot } : { loadError: this.outcome.loadError };
  }

  async executionPlan(request: ExecutionPlanRequest): Promise<ExecutionPlanResult> {
    if (!this.outcome.ok) {
      return { ok: false, message: loadErrorMessage(this.outcome.loadError), configIssues: [] };
    }
    try {
      const prepared = prepareRun(this.outcome.definitions, {
        jobName: request.jobName,
        assetSelection: request.assetSelection ?? null,
        stepKeysToExecute: request.stepKeysToExecute ?? null,
        runConfig: request.runConfig,
        partitionKey: request.partitionKey ?? null,
      });
      const steps = prepared.plan.steps.filter((step) => prepared.plan.executed.has(step.key));
      return {
        ok: true,
        jobName: prepared.job.name,
        stepKeys: steps.map((step) => step.key),
        assetKeys: steps.flatMap((step) => (step.computation.assetKey ? [step.computation.assetKey] : [])),
        steps: prepared.plan.steps.map((step) => ({ key: step.key, upstream: step.upstream })),
      };
    } catch (error) {
      if (error instanceof RunConfigError) {
        return { ok: false, message: error.message, configIssues: error.issues };
      }
      return { ok: false, message: (error as Error)?.message ?? String(error), configIssues: [] };
    }
  }

  async evaluateSchedule(name: string, scheduledTime: Date): Promise<InstigatorEvaluation> {
    if (!this.outcome.ok) return { ok: false, error: this.outcome.loadError };
    return evaluateSchedule(this.outcome.definitions, name, scheduledTime);
  }

  async evaluateSensor(
    name: string,
    cursor: string | null,
    lastRunKey: string | null,
  ): Promise<InstigatorEvaluation> {
    if (!this.outcome.ok) return { ok: false, error: this.outcome.loadError };
    return evaluateSensor(this.outcome.definitions, name, cursor, lastRunKey);
  }

  async shutdown(): Promise<void> {
    this.onShutdown();
  }

  close(): void {}
}

function loadErrorMessage(loadError: SerializableFailure): string {
  return `the code location failed to load: ${loadError.message}`;
}
