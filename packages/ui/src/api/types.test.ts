import { describe, expect, it } from "vitest";
import {
  EVENT_TYPES,
  type EventType,
  isRunLevelEvent,
  isTerminalStatus,
  LOG_LEVELS,
  RUN_STATUSES,
  type RunStatus,
} from "./types.ts";

describe("the API's lists of statuses, levels and event types", () => {
  it("end the run lifecycle in exactly the three terminal statuses", () => {
    expect(RUN_STATUSES.filter(isTerminalStatus)).toEqual(["SUCCESS", "FAILURE", "CANCELED"]);
    expect(RUN_STATUSES.slice(0, 2)).toEqual(["QUEUED", "NOT_STARTED"]);
    expect(isTerminalStatus("ARCHIVED" as RunStatus)).toBe(false);
  });

  it("order log levels from least to most severe", () => {
    expect(LOG_LEVELS).toEqual(["debug", "info", "warning", "error", "critical"]);
  });

  it("treat exactly the RUN_ event types as run-level, listed before the step events", () => {
    const runLevel = EVENT_TYPES.filter(isRunLevelEvent);
    expect(runLevel).toEqual(EVENT_TYPES.filter((type) => type.startsWith("RUN_")));
    expect(EVENT_TYPES.slice(0, runLevel.length)).toEqual(runLevel);
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
    expect(isRunLevelEvent("RUN_PAUSED" as EventType)).toBe(false);
  });
});
