import type { RunRecord } from "@bosun/core";
import { newEvent } from "@bosun/core";
import { type ComputeLogSettings, DEFAULT_COMPUTE_LOG_SETTINGS } from "@bosun/instance";
import { type BosunStorage, DEFAULT_OUTAGE_TOLERANCE_MS } from "@bosun/storage";
import type { Definitions } from "bosun";
import { EventWriter } from "../events/event-writer.ts";
import { type PreparedRun, prepareRun } from "./prepare-run.ts";
import { ResourceScope } from "./resource-scope.ts";
import { createRunLogger } from "./run-logger.ts";
import type { StepRuntime } from "./step-attempt.ts";

/** The step runtime of a process, held open while it executes steps; `close` tears it down. */
export interface StepSession {
  readonly runtime: StepRuntime;
  /** Tears resources down and stores every pending event. */
  close(): Promise<void>;
}

/**
 * What one process needs to execute steps of a run: the prepared plan, its own resources and event
 * writer. The run worker opens one for the in-process executor; each pool worker and step pod opens its own.
 */
export function openStepSession(options: {
  readonly storage: BosunStorage;
  readonly definitions: Definitions;
  readonly run: RunRecord;
  readonly bosunHome: string;
  readonly outputSources: ReadonlyMap<string, string>;
  readonly signal: AbortSignal;
  readonly prepared?: PreparedRun;
  readonly events?: EventWriter;
  /** `compute_logs` of the instance's `bosun.yaml`; default: captured, flushed every 200 ms, 10 MiB per stream. */
  readonly computeLogs?: ComputeLogSettings;
  /** `storage.outage_tolerance_seconds` in ms; default 120 s. */
  readonly outageToleranceMs?: number;
}): StepSession {
  const { storage, run } = options;
  const prepared = options.prepared ?? prepareRun(options.definitions, run);
  const outageToleranceMs = options.outageToleranceMs ?? DEFAULT_OUTAGE_TOLERANCE_MS;
  const events = options.events ?? new EventWriter(storage.events, { outageToleranceMs });
  const resources = new ResourceScope(options.definitions, prepared.config, {
    runId: run.runId,
    bosunHome: options.bosunHome,
    outputBlobs: storage.outputs,
    log: createRunLogger(events, run.runId, null),
  });
  const runtime: StepRuntime = {
    runId: run.runId,
    prepared,
    resources,
    events,
    computeLogs: storage.computeLogs,
    computeLogSettings: options.computeLogs ?? DEFAULT_COMPUTE_LOG_SETTINGS,
    outageToleranceMs,
    outputSources: options.outputSources,
    signal: options.signal,
  };
  return {
    runtime,
    async close() {
      for (const error of await resources.teardown()) {
        events.emit(
          newEvent(run.runId, "ENGINE_EVENT", {
            level: "error",
            message: `Resource teardown failed: ${(error as Error)?.message ?? String(error)}`,
            data: {},
          }),
        );
      }
      await events.flush();
    },
  };
}
