import type { CodeOrigin } from "@bosun/engine";

/**
 * What a queue carries for one step attempt: enough for any worker to start `bosun api execute-step`.
 * The step's result never travels back through the queue: the run worker reads it from the event log.
 */
export interface StepTask {
  readonly runId: string;
  readonly stepKey: string;
  readonly retryNumber: number;
  readonly origin: CodeOrigin;
}

/** The queue job id of a step attempt: adding the same attempt twice is a no-op. */
export function stepTaskId(task: Pick<StepTask, "runId" | "stepKey" | "retryNumber">): string {
  // BullMQ ids may not contain ":" (its key separator on Redis).
  return `${task.runId}.${task.stepKey.replaceAll(/[^A-Za-z0-9_.-]/g, "_")}.${task.retryNumber}`;
}
