import type { LogLevel } from "@bosun/core";
import { newEvent } from "@bosun/core";
import type { LogFields, RunLogger } from "bosun";
import type { EventWriter } from "../events/event-writer.ts";

/** `ctx.log`: each call becomes a LOG_MESSAGE event of the run (and step, when given). */
export function createRunLogger(events: EventWriter, runId: string, stepKey: string | null): RunLogger {
  const log = (level: LogLevel, message: string, fields?: LogFields) =>
    events.emit(
      newEvent(runId, "LOG_MESSAGE", {
        stepKey,
        level,
        message: String(message),
        data: fields ? { fields } : {},
      }),
    );
  return {
    log,
    debug: (message, fields) => log("debug", message, fields),
    info: (message, fields) => log("info", message, fields),
    warning: (message, fields) => log("warning", message, fields),
    error: (message, fields) => log("error", message, fields),
    critical: (message, fields) => log("critical", message, fields),
  };
}
