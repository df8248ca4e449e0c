import type { SerializableFailure } from "@bosun/core";
import type { ComputeLogSettings } from "@bosun/instance";
import type { CodeOrigin } from "../../code-location/load-definitions.ts";
import type { StepAttemptResult } from "../step-attempt.ts";

/** Messages between the run worker and its step worker processes (Node IPC, JSON). */
export type ToWorker =
  | {
      readonly type: "init";
      readonly runId: string;
      readonly origin: CodeOrigin;
      readonly bosunHome: string;
      readonly outputSources: readonly (readonly [string, string])[];
      /** The run worker's `compute_logs` settings, so every process of the run captures output alike. */
      readonly computeLogs: ComputeLogSettings;
    }
  | { readonly type: "step"; readonly stepKey: string; readonly retryNumber: number }
  | { readonly type: "shutdown" };

export type FromWorker =
  | { readonly type: "ready" }
  | { readonly type: "init-failed"; readonly failure: SerializableFailure }
  | { readonly type: "result"; readonly stepKey: string; readonly result: StepAttemptResult }
  /**
   * The database stayed away longer than `storage.outage_tolerance_seconds` while the worker ran the
   * step (a `StorageOutageError`, whose fields these are); the worker exits after sending it.
   */
  | {
      readonly type: "outage";
      readonly stepKey: string;
      readonly toleranceMs: number;
      readonly outageMs: number;
      readonly causeMessage: string | null;
    };
