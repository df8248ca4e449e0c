import type { RunRecord, RunStatus } from "@bosun/core";
import type { BosunStorage } from "@bosun/storage";
import { RunNotFoundError } from "@bosun/storage";
import type { RunLauncher } from "./launcher/run-launcher.ts";
import { runEvent } from "./run-events.ts";

/** The run already ended; there is nothing to terminate. Stable code for API clients: RUN_NOT_TERMINABLE. */
export class RunNotTerminableError extends Error {
  readonly code = "RUN_NOT_TERMINABLE";
  constructor(
    readonly runId: string,
    readonly status: RunStatus,
  ) {
    super(`run ${runId} is ${status}: only a queued or running run can be terminated`);
    this.name = "RunNotTerminableError";
  }
}

/** What terminating a run did. */
export interface TerminateResult {
  /** CANCELED when the run never started (or its worker was already gone); CANCELING when its worker was asked to stop. */
  readonly status: Extract<RunStatus, "CANCELED" | "CANCELING">;
}

/**
 * Terminates a run, as the API's "terminate" does:
 * - QUEUED or NOT_STARTED: CANCELED at once (atomically with the run coordinator, so it is either
 *   canceled or admitted, never both);
 * - STARTING or STARTED: a RUN_CANCELING event, then the launcher asks the worker to stop (SIGTERM for a
 *   local process); the worker interrupts its steps and ends the run CANCELED. When the launcher finds no
 *   worker to stop, the run is CANCELED directly;
 * - CANCELING: asks the launcher again;
 * - SUCCESS, FAILURE, CANCELED: `RunNotTerminableError`.
 *
 * @example
 * await terminateRun(instance.storage, launcher, runId); // { status: "CANCELING" }
 */
export async function terminateRun(
  storage: BosunStorage,
  launcher: RunLauncher,
  runId: string,
  options: { readonly reason?: string; readonly now?: () => number } = {},
): Promise<TerminateResult> {
  const reason = options.reason ?? "termination requested";
  const now = options.now ?? Date.now;
  let run = await storage.runs.getRun(runId);
  if (!run) throw new RunNotFoundError(runId);
  if (run.status === "QUEUED" || run.status === "NOT_STARTED") {
    if (await storage.runQueue.cancelUnstartedRun(runId, reason)) return { status: "CANCELED" };
    // Admitted meanwhile: terminate it as a started run.
    run = (await storage.runs.getRun(runId)) as RunRecord;
  }
  switch (run.status) {
    case "STARTING":
    case "STARTED":
      await storage.events.appendEvents([runEvent(runId, "RUN_CANCELING", reason, now())]);
      return stopWorker(storage, launcher, run, now);
    case "CANCELING":
      return stopWorker(storage, launcher, run, now);
    case "QUEUED":
    case "NOT_STARTED":
    case "SUCCESS":
    case "FAILURE":
    case "CANCELED":
      throw new RunNotTerminableError(runId, run.status);
    default:
      return assertNever(run.status);
  }
}

async function stopWorker(
  storage: BosunStorage,
  launcher: RunLauncher,
  run: RunRecord,
  now: () => number,
): Promise<TerminateResult> {
  const stopping = await launcher.terminate(run);
  if (stopping) return { status: "CANCELING" };
  await storage.events.appendEvents([
    runEvent(run.runId, "RUN_CANCELED", `the ${launcher.name} launcher found no run worker to stop`, now()),
  ]);
  return { status: "CANCELED" };
}

function assertNever(value: never): never {
  throw new Error(`unexpected run status ${String(value)}`);
}
