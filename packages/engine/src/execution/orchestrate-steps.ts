import { newEvent } from "@bosun/core";
import { StorageOutageError } from "@bosun/storage";
import type { EventWriter } from "../events/event-writer.ts";
import type { ExecutionPlan } from "./plan.ts";
import type { StepLauncher } from "./step-launcher.ts";

export type StepsOutcome = "success" | "failure" | "canceled";

type StepState = "waiting" | "running" | "retry-wait" | "succeeded" | "failed" | "skipped";

/**
 * Drives a plan's steps through a launcher. A step starts when every upstream step it reads from has
 * succeeded (or was satisfied by an earlier run), at most `launcher.maxConcurrent` at once; a failure
 * marks everything downstream skipped; a retry waits its delay and launches the step again. On
 * cancellation nothing new starts, running steps are interrupted, and the outcome is `canceled`. A step
 * that could not run because the database stayed away too long (`StorageOutageError`) makes this throw
 * that error once every running step has settled: the run fails for the outage, not for its steps.
 */
export async function orchestrateSteps(options: {
  readonly runId: string;
  readonly plan: ExecutionPlan;
  readonly launcher: StepLauncher;
  readonly events: EventWriter;
  readonly signal: AbortSignal;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}): Promise<StepsOutcome> {
  const { plan, launcher, events, runId, signal } = options;
  const sleep = options.sleep ?? abortableSleep;
  const state = new Map<string, StepState>();
  const retryNumber = new Map<string, number>();
  for (const step of plan.steps) {
    state.set(step.key, plan.executed.has(step.key) ? "waiting" : "succeeded");
    retryNumber.set(step.key, 0);
  }
  const running = new Set<Promise<void>>();
  /** The database stayed away too long while a step ran: the run fails for that, once its steps settle. */
  let outage: StorageOutageError | null = null;

  const skipDownstream = (key: string) => {
    for (const next of plan.downstreamOf(key)) {
      if (state.get(next) !== "waiting") continue;
      state.set(next, "skipped");
      events.emit(
        newEvent(runId, "STEP_SKIPPED", {
          stepKey: next,
          level: "warning",
          message: `Skipped step "${next}": upstream step "${key}" did not succeed`,
          data: { reason: `upstream step "${key}" did not succeed` },
        }),
      );
      skipDownstream(next);
    }
  };

  const start = (key: string) => {
    state.set(key, "running");
    const attempt = launcher
      .launch(key, retryNumber.get(key)!)
      .then(async (result) => {
        if (result.outcome === "success") state.set(key, "succeeded");
        else if (result.outcome === "retry" && !signal.aborted) {
          state.set(key, "retry-wait");
          retryNumber.set(key, retryNumber.get(key)! + 1);
          await sleep(result.delayMs, signal).catch(() => undefined);
          state.set(key, signal.aborted ? "failed" : "waiting");
        } else {
          state.set(key, "failed");
          skipDownstream(key);
        }
      })
      .catch((error: unknown) => {
        state.set(key, "failed");
        if (error instanceof StorageOutageError) outage ??= error;
        events.emit(
          newEvent(runId, "ENGINE_EVENT", {
            stepKey: key,
            level: "error",
            message: `Could not run step "${key}": ${(error as Error)?.message ?? String(error)}`,
            data: {},
          }),
        );
        skipDownstream(key);
      })
      .finally(() => running.delete(attempt));
    running.add(attempt);
  };

  const ready = () =>
    plan.steps.filter(
      (step) =>
        state.get(step.key) === "waiting" && step.upstream.every((up) => state.get(up) === "succeeded"),
    );

  const onAbort = () => void launcher.interrupt();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    while (true) {
      if (!signal.aborted) {
        for (const step of ready()) {
          if (running.size >= launcher.maxConcurrent) break;
          start(step.key);
        }
      }
      if (running.size === 0) break;
      await Promise.race(running);
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
  }

  if (outage) throw outage;
  if (signal.aborted) return "canceled";
  const states = [...state.values()];
  return states.every((s) => s === "succeeded") ? "success" : "failure";
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
