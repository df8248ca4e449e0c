import type { EventDataByType, EventType, LogLevel, NewEvent } from "./event.ts";

/** Builds an event with the current time. */
export function newEvent<T extends EventType>(
  runId: string,
  type: T,
  fields: { stepKey?: string | null; level?: LogLevel; message?: string; data: EventDataByType[T] },
): NewEvent {
  return {
    runId,
    type,
    timestamp: Date.now(),
    stepKey: fields.stepKey ?? null,
    level: fields.level ?? "info",
    message: fields.message ?? "",
    data: fields.data,
  } as NewEvent;
}
