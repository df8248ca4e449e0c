import type { StoredEvent } from "@bosun/core";

const QUIET_TYPES = new Set(["LOADED_INPUT", "HANDLED_OUTPUT", "STEP_OUTPUT", "LOGS_CAPTURED"]);

/** One line per meaningful event, for `job execute` and `asset materialize` in a terminal. */
export function formatProgressLine(event: StoredEvent, verbose: boolean): string | null {
  if (!verbose && (QUIET_TYPES.has(event.type) || event.level === "debug")) return null;
  const time = new Date(event.timestamp).toISOString().slice(11, 23);
  const step = event.stepKey ? ` ${event.stepKey}` : "";
  let line = `${time} ${event.type.padEnd(21)}${step} - ${event.message}`;
  if (event.type === "STEP_FAILURE" || (event.type === "RUN_FAILURE" && event.data.failure)) {
    const failure = event.data.failure;
    if (failure?.stack)
      line += `\n${failure.stack
        .split("\n")
        .slice(0, 6)
        .map((l) => `    ${l}`)
        .join("\n")}`;
  }
  return line;
}
