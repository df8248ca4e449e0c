import type { ComputeLogSettings } from "@bosun/instance";
import type { BosunStorage } from "@bosun/storage";
import { RunNotFoundError } from "@bosun/storage";
import { type CodeOrigin, loadDefinitions } from "../code-location/load-definitions.ts";
import { prepareRun } from "./prepare-run.ts";
import { resolveOutputSources } from "./reexecution.ts";
import { executeStepAttempt, type StepAttemptResult } from "./step-attempt.ts";
import { openStepSession } from "./step-session.ts";

/**
 * One step attempt in a process of its own (`bosun api execute-step`): what a Kubernetes step pod or a
 * queue worker runs. The attempt's events go to the event log, where the run worker that launched it
 * reads the outcome; the returned result also becomes the process's exit code.
 */
export async function executeStep(options: {
  readonly storage: BosunStorage;
  readonly bosunHome: string;
  readonly runId: string;
  readonly stepKey: string;
  readonly retryNumber: number;
  readonly origin: CodeOrigin;
  readonly signal?: AbortSignal;
  /** `compute_logs` of the instance's `bosun.yaml` (default: the section's defaults). */
  readonly computeLogs?: ComputeLogSettings;
  /** `storage.outage_tolerance_seconds` in ms; default 120 s. */
  readonly outageToleranceMs?: number;
}): Promise<StepAttemptResult> {
  const run = await options.storage.runs.getRun(options.runId);
  if (!run) throw new RunNotFoundError(options.runId);
  const definitions = await loadDefinitions(options.origin);
  const prepared = prepareRun(definitions, run);
  const step = prepared.plan.step(options.stepKey);
  const session = openStepSession({
    storage: options.storage,
    definitions,
    run,
    bosunHome: options.bosunHome,
    outputSources: await resolveOutputSources(options.storage, run, prepared.plan),
    signal: options.signal ?? new AbortController().signal,
    prepared,
    ...(options.computeLogs ? { computeLogs: options.computeLogs } : {}),
    ...(options.outageToleranceMs ? { outageToleranceMs: options.outageToleranceMs } : {}),
  });
  try {
    return await executeStepAttempt(session.runtime, step, options.retryNumber);
  } finally {
    await session.close();
  }
}

/** Exit codes of `bosun api execute-step`: 0 success, 2 a retry was requested, 1 failure. */
export function stepExitCode(result: StepAttemptResult): number {
  switch (result.outcome) {
    case "success":
      return 0;
    case "retry":
      return 2;
    case "failure":
      return 1;
  }
}
