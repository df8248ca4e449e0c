import { type NewEvent, newEvent, type SerializableFailure } from "@bosun/core";

/** What a step launcher knows of a step that failed without reporting it itself. */
export interface LauncherStepFailure {
  readonly runId: string;
  readonly stepKey: string;
  /** 0 for the first attempt. */
  readonly retryNumber: number;
  readonly failure: SerializableFailure;
  /** One line saying why, shown after `Step "<key>" failed: `. */
  readonly summary: string;
}

/**
 * The STEP_FAILURE a step launcher records when the step could not report its own failure (its worker
 * process died, its pod failed, its queue had no worker): the run's events then explain the failure,
 * and retries apply to it as to any other (`retriesExhausted` is decided by the orchestrator).
 */
export function launcherStepFailureEvent(failed: LauncherStepFailure): NewEvent {
  return newEvent(failed.runId, "STEP_FAILURE", {
    stepKey: failed.stepKey,
    level: "error",
    message: `Step "${failed.stepKey}" failed: ${failed.summary}`,
    data: { failure: failed.failure, attempt: failed.retryNumber + 1, retriesExhausted: false },
  });
}
