import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../api/types.ts";
import { attemptLogRanges } from "./attempt-logs.ts";

let seq = 0;
function event(type: RunEvent["type"], stepKey: string, data: Record<string, unknown> = {}): RunEvent {
  seq += 1;
  return { seq, runId: "r", type, stepKey, timestamp: seq, level: "info", message: "", data };
}

describe("attemptLogRanges", () => {
  it("cuts each attempt's output at the end the previous attempt's LOGS_CAPTURED recorded", () => {
    const events = [
      event("STEP_START", "upload", { attempt: 1 }),
      event("LOGS_CAPTURED", "upload", { attempt: 1, logEnd: { stdout: 10, stderr: 4 } }),
      event("STEP_RETRY", "upload", { attempt: 1 }),
      event("STEP_START", "other", { attempt: 1 }),
      event("STEP_START", "upload", { attempt: 2 }),
      event("LOGS_CAPTURED", "upload", { attempt: 2, logEnd: { stdout: 25, stderr: 9 } }),
      event("STEP_FAILURE", "upload", { attempt: 2 }),
    ];
    expect(attemptLogRanges(events, "upload")).toEqual([
      { attempt: 1, from: { stdout: 0, stderr: 0 }, to: { stdout: 10, stderr: 4 } },
      { attempt: 2, from: { stdout: 10, stderr: 4 }, to: { stdout: 25, stderr: 9 } },
    ]);
  });

  it("gives an attempt that printed nothing an empty range, and leaves a running attempt open", () => {
    const events = [
      event("STEP_START", "fetch", { attempt: 1 }),
      event("STEP_RETRY", "fetch", { attempt: 1 }),
      event("STEP_START", "fetch", { attempt: 2 }),
    ];
    expect(attemptLogRanges(events, "fetch")).toEqual([
      { attempt: 1, from: { stdout: 0, stderr: 0 }, to: { stdout: 0, stderr: 0 } },
      { attempt: 2, from: { stdout: 0, stderr: 0 }, to: null },
    ]);
  });

  it("cannot tell attempts apart in events that do not say where output ends", () => {
    const events = [
      event("STEP_START", "load", { attempt: 1 }),
      event("LOGS_CAPTURED", "load", { stepKeys: ["load"], logKey: "load" }),
      event("STEP_SUCCESS", "load"),
    ];
    expect(attemptLogRanges(events, "load")).toEqual([]);
  });
});
