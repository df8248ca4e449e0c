import type { RunRecord, RunStatus } from "@bosun/core";
import type { CodeOrigin } from "@bosun/engine";
import { executeRun } from "@bosun/engine";
import { type Instance, openInstance } from "@bosun/instance";
import { inProcessLocation, type LaunchRequest, RunRequests } from "@bosun/runs";
import { rideOutOutages } from "@bosun/storage";
import type { Definitions } from "bosun";
import { PLUGIN_EXECUTORS } from "./plugins.ts";
import { formatProgressLine } from "./progress-printer.ts";

/**
 * Executes a stored run in this process while printing its events live (they come back through the
 * event log, so steps running in worker processes show up too). Ctrl-C or SIGTERM cancels the run.
 */
export async function executeRunInTerminal(options: {
  readonly instance: Instance;
  readonly run: RunRecord;
  readonly origin: CodeOrigin;
  readonly definitions: Definitions;
  readonly verbose: boolean;
  readonly json: boolean;
}): Promise<RunStatus> {
  const { instance, run } = options;
  const print = (line: string) => process.stderr.write(`${line}\n`);
  const subscription = options.json
    ? null
    : await instance.storage.events.watchEvents(run.runId, 0, (events) => {
        for (const event of events) {
          const line = formatProgressLine(event, options.verbose);
          if (line) print(line);
        }
      });
  const abort = new AbortController();
  const cancel = () => {
    if (!abort.signal.aborted) print("Canceling the run (Ctrl-C again to force quit)...");
    else process.exit(130);
    abort.abort(new Error("canceled from the terminal"));
  };
  process.on("SIGINT", cancel);
  process.on("SIGTERM", cancel);
  try {
    return await executeRun({
      // The run is created already: from here on this process is its worker, and rides out an outage.
      storage: rideOutOutages(instance.storage, { toleranceMs: instance.outageToleranceMs }),
      bosunHome: instance.home,
      runId: run.runId,
      origin: options.origin,
      definitions: options.definitions,
      childEnv: instance.childEnv,
      signal: abort.signal,
      computeLogs: instance.computeLogs,
      outageToleranceMs: instance.outageToleranceMs,
      executors: PLUGIN_EXECUTORS,
    });
  } finally {
    process.off("SIGINT", cancel);
    process.off("SIGTERM", cancel);
    // Let the last live events arrive before closing the subscription.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await subscription?.close();
  }
}

/**
 * `job execute`, `asset materialize` and `run reexecute`: validate and store the run through the
 * run-request service (judged by the definitions loaded here, stored NOT_STARTED because this process
 * executes it right away), execute it here, report, set the exit code.
 */
export async function launchRunInTerminal(options: {
  readonly origin: CodeOrigin;
  readonly definitions: Definitions;
  readonly create: (requests: RunRequests) => Promise<RunRecord>;
  readonly verbose: boolean;
  readonly json: boolean;
}): Promise<void> {
  const instance = await openInstance();
  try {
    const requests = new RunRequests({
      storage: instance.storage,
      locations: inProcessLocation(options.definitions, options.origin),
    });
    const run = await options.create(requests);
    if (!options.json) process.stdout.write(`${run.runId}\n`);
    const status = await executeRunInTerminal({ ...options, instance, run });
    if (options.json)
      process.stdout.write(`${JSON.stringify(await instance.storage.runs.getRun(run.runId), null, 2)}\n`);
    else process.stderr.write(`Run ${run.runId} ended ${status}\n`);
    process.exitCode = status === "SUCCESS" ? 0 : 1;
  } finally {
    await instance.close();
  }
}

/** A new run from a launch request (job or asset selection), executed here. */
export function launchInTerminal(options: {
  readonly origin: CodeOrigin;
  readonly definitions: Definitions;
  readonly request: Omit<LaunchRequest, "status" | "location">;
  readonly verbose: boolean;
  readonly json: boolean;
}): Promise<void> {
  return launchRunInTerminal({
    ...options,
    create: (requests) => requests.launch({ ...options.request, location: null, status: "NOT_STARTED" }),
  });
}
