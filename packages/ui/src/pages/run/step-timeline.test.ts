import { describe, expect, it } from "vitest";
import type { EventType, RunEvent } from "../../api/types.ts";
import { buildStepTimelines, maxParallelism } from "./step-timeline.ts";

let seq = 0;
function ev(
  type: EventType,
  stepKey: string | null,
  timestamp: number,
  data: Record<string, unknown> = {},
): RunEvent {
  seq += 1;
  return { seq, runId: "r", type, stepKey, timestamp, level: "info", message: type, data };
}
const failure = { className: "Error", message: "boom", stack: "Error: boom\n  at x", cause: null };

describe("buildStepTimelines", () => {
  it("gives a retried step one bar per attempt, ending in success", () => {
    const steps = buildStepTimelines(
      [
        ev("STEP_START", "fetch", 100, { attempt: 1 }),
        ev("STEP_RETRY", "fetch", 150, { attempt: 1, failure, delayMs: 10 }),
        ev("STEP_START", "fetch", 170, { attempt: 2 }),
        ev("STEP_SUCCESS", "fetch", 200, { durationMs: 30 }),
      ],
      null,
    );
    expect(steps).toHaveLength(1);
    expect(steps[0]!.state).toBe("success");
    expect(steps[0]!.attempts.map((a) => [a.attempt, a.start, a.end, a.outcome])).toEqual([
      [1, 100, 150, "retry"],
      [2, 170, 200, "success"],
    ]);
    expect(steps[0]!.attempts[0]!.failure?.message).toBe("boom");
  });

  it("marks failed, skipped and still-running steps, and closes open attempts at the run's end", () => {
    const events = [
      ev("STEP_START", "a", 0, { attempt: 1 }),
      ev("STEP_FAILURE", "a", 10, { attempt: 1, failure, retriesExhausted: false }),
      ev("STEP_SKIPPED", "b", 11, { reason: 'upstream step "a" did not succeed' }),
      ev("STEP_START", "c", 5, { attempt: 1 }),
    ];
    const live = buildStepTimelines(events, null);
    expect(live.map((s) => [s.stepKey, s.state])).toEqual([
      ["a", "failure"],
      ["c", "running"],
      ["b", "skipped"],
    ]);
    expect(live.find((s) => s.stepKey === "b")!.skipReason).toContain("upstream");
    const ended = buildStepTimelines(events, 40);
    const c = ended.find((s) => s.stepKey === "c")!;
    expect(c.attempts[0]).toMatchObject({ end: 40, outcome: "interrupted" });
    expect(c.state).toBe("failure");
  });

  it("counts how many attempts overlapped in time", () => {
    const steps = buildStepTimelines(
      [
        ev("STEP_START", "a", 0, { attempt: 1 }),
        ev("STEP_START", "b", 1, { attempt: 1 }),
        ev("STEP_START", "c", 2, { attempt: 1 }),
        ev("STEP_SUCCESS", "a", 3),
        ev("STEP_SUCCESS", "b", 4),
        ev("STEP_SUCCESS", "c", 5),
        ev("STEP_START", "d", 5, { attempt: 1 }),
        ev("STEP_SUCCESS", "d", 6),
      ],
      null,
    );
    expect(maxParallelism(steps, 10)).toBe(3);
  });
});
