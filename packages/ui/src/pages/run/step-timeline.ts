import type { Failure, RunEvent } from "../../api/types.ts";

/**
 * Step attempts derived from a run's events, for the Gantt chart and the step list.
 *
 * An attempt opens at STEP_START and closes at the step's next STEP_SUCCESS (success), STEP_RETRY (it
 * failed and will run again) or STEP_FAILURE (it failed for good). A step that never started but was
 * STEP_SKIPPED has no attempts. An attempt still open when the run ended closes at the run's end.
 */
export type AttemptOutcome = "running" | "success" | "retry" | "failure" | "interrupted";
export type StepState = "running" | "retrying" | "success" | "failure" | "skipped";

export interface StepAttempt {
  readonly attempt: number;
  readonly start: number;
  /** null while running */
  readonly end: number | null;
  readonly outcome: AttemptOutcome;
  readonly failure: Failure | null;
}

export interface StepTimeline {
  readonly stepKey: string;
  readonly state: StepState;
  readonly attempts: readonly StepAttempt[];
  /** First start, or the skip time for a skipped step. */
  readonly start: number;
  readonly end: number | null;
  readonly skipReason: string | null;
}

interface MutableStep {
  stepKey: string;
  attempts: {
    attempt: number;
    start: number;
    end: number | null;
    outcome: AttemptOutcome;
    failure: Failure | null;
  }[];
  skippedAt: number | null;
  skipReason: string | null;
  order: number;
}

function failureOf(event: RunEvent): Failure | null {
  const failure = event.data.failure;
  return failure && typeof failure === "object" ? (failure as Failure) : null;
}

export function buildStepTimelines(events: readonly RunEvent[], runEnd: number | null): StepTimeline[] {
  const steps = new Map<string, MutableStep>();
  const stepOf = (key: string): MutableStep => {
    let step = steps.get(key);
    if (!step) {
      step = { stepKey: key, attempts: [], skippedAt: null, skipReason: null, order: steps.size };
      steps.set(key, step);
    }
    return step;
  };
  for (const event of events) {
    if (!event.stepKey) continue;
    switch (event.type) {
      case "STEP_START": {
        const step = stepOf(event.stepKey);
        const attempt =
          typeof event.data.attempt === "number" ? event.data.attempt : step.attempts.length + 1;
        step.attempts.push({ attempt, start: event.timestamp, end: null, outcome: "running", failure: null });
        break;
      }
      case "STEP_SUCCESS":
      case "STEP_RETRY":
      case "STEP_FAILURE": {
        const step = stepOf(event.stepKey);
        let open = step.attempts.at(-1);
        if (!open || open.end !== null) {
          // A failure before the step could start (e.g. its inputs failed to load) still shows as a bar.
          open = {
            attempt: step.attempts.length + 1,
            start: event.timestamp,
            end: null,
            outcome: "running",
            failure: null,
          };
          step.attempts.push(open);
        }
        open.end = event.timestamp;
        open.outcome =
          event.type === "STEP_SUCCESS" ? "success" : event.type === "STEP_RETRY" ? "retry" : "failure";
        open.failure = failureOf(event);
        break;
      }
      case "STEP_SKIPPED": {
        const step = stepOf(event.stepKey);
        step.skippedAt = event.timestamp;
        step.skipReason = typeof event.data.reason === "string" ? event.data.reason : null;
        break;
      }
      default:
        break;
    }
  }
  return [...steps.values()]
    .map((step): StepTimeline => {
      const attempts = step.attempts.map((a) =>
        a.end === null && runEnd !== null
          ? { ...a, end: Math.max(runEnd, a.start), outcome: "interrupted" as const }
          : a,
      );
      const last = attempts.at(-1);
      const state: StepState =
        attempts.length === 0
          ? "skipped"
          : last?.outcome === "success"
            ? "success"
            : last?.outcome === "running"
              ? "running"
              : last?.outcome === "retry"
                ? runEnd === null
                  ? "retrying"
                  : "failure"
                : "failure";
      return {
        stepKey: step.stepKey,
        state,
        attempts,
        start: attempts[0]?.start ?? step.skippedAt ?? 0,
        end: attempts.length === 0 ? step.skippedAt : (last?.end ?? null),
        skipReason: step.skipReason,
      };
    })
    .sort((a, b) => a.start - b.start || a.stepKey.localeCompare(b.stepKey));
}

/** How many attempts ran at the same time at most: the run's observed parallelism. */
export function maxParallelism(steps: readonly StepTimeline[], now: number): number {
  const edges: [number, number][] = [];
  for (const step of steps)
    for (const a of step.attempts) {
      edges.push([a.start, 1]);
      edges.push([a.end ?? now, -1]);
    }
  // Ends before starts at the same instant: touching bars are not parallel.
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let current = 0;
  let best = 0;
  for (const [, delta] of edges) {
    current += delta;
    best = Math.max(best, current);
  }
  return best;
}
