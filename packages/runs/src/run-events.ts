import type { NewEvent } from "@bosun/core";
import { type SerializableFailure, toSerializableFailure } from "@bosun/core";
import type { EventLogStorage } from "@bosun/storage";

/** The RUN_FAILURE event that ends a run with the reason (and the error behind it, when there is one). */
export function runFailureEvent(
  runId: string,
  reason: string,
  options: { readonly at: number; readonly error?: unknown },
): NewEvent {
  const failure: SerializableFailure | undefined =
    options.error === undefined ? undefined : toSerializableFailure(options.error);
  return {
    runId,
    type: "RUN_FAILURE",
    timestamp: options.at,
    stepKey: null,
    level: "error",
    message: `Run failed: ${reason}`,
    data: { reason, ...(failure ? { failure } : {}) },
  };
}

/** Ends a run FAILURE with the reason as its event (a run already in a terminal status stays as it is). */
export async function failRun(
  events: EventLogStorage,
  runId: string,
  reason: string,
  options: { readonly at: number; readonly error?: unknown },
): Promise<void> {
  await events.appendEvents([runFailureEvent(runId, reason, options)]);
}

/** The RUN_CANCELING or RUN_CANCELED event of a run, with the reason. */
export function runEvent<T extends "RUN_CANCELING" | "RUN_CANCELED">(
  runId: string,
  type: T,
  reason: string,
  at: number,
): NewEvent {
  return {
    runId,
    type,
    timestamp: at,
    stepKey: null,
    level: "info",
    message: type === "RUN_CANCELING" ? `Terminating run: ${reason}` : `Run canceled: ${reason}`,
    data: { reason },
  } as NewEvent;
}
