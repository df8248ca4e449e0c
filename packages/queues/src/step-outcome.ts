import type { StoredEvent } from "@bosun/core";
import type { EventLogStorage } from "@bosun/storage";

const OUTCOME_TYPES = ["STEP_START", "STEP_SUCCESS", "STEP_FAILURE", "STEP_RETRY"] as const;

/** What the event log says about one attempt of a step. */
export interface AttemptRecord {
  /** The step succeeded in some attempt of this run: it must never run again. */
  readonly succeeded: boolean;
  /** The attempt's STEP_START is stored (some worker began it). */
  readonly started: boolean;
  /** The attempt's own verdict: the last outcome event after its latest STEP_START. */
  readonly outcome: StoredEvent | undefined;
}

/**
 * Reads one attempt's record from the event log: the single source of truth for queue steps, read by
 * the run worker (to learn the outcome) and by queue workers (to never start a finished step again).
 */
export async function readAttempt(
  eventLog: Pick<EventLogStorage, "getEvents">,
  runId: string,
  stepKey: string,
  retryNumber: number,
): Promise<AttemptRecord> {
  const events = await eventLog.getEvents(runId, { stepKey, types: [...OUTCOME_TYPES] });
  let startIndex = -1;
  events.forEach((event, index) => {
    if (event.type === "STEP_START" && event.data.attempt === retryNumber + 1) startIndex = index;
  });
  const outcome =
    startIndex < 0
      ? undefined
      : events.slice(startIndex + 1).findLast((event) => event.type !== "STEP_START");
  return {
    succeeded: events.some((event) => event.type === "STEP_SUCCESS"),
    started: startIndex >= 0,
    outcome,
  };
}
