import type { StepAttemptResult } from "./step-attempt.ts";

/**
 * Where an executor runs step attempts: in this process, in a pool of worker processes, or (in other
 * packages) in Kubernetes Jobs or queue workers. A launched attempt writes its own events to the event
 * log; the launcher reports only the outcome, once those events are stored.
 */
export interface StepLauncher {
  /** How many attempts may run at once. */
  readonly maxConcurrent: number;
  launch(stepKey: string, retryNumber: number): Promise<StepAttemptResult>;
  /** Interrupts every running attempt (run cancellation); their `launch` promises then settle. */
  interrupt(): Promise<void>;
  /** Releases workers and connections; called once when the run ends. */
  close(): Promise<void>;
}
