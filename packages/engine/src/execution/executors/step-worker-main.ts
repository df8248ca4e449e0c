/**
 * Entry point of a multiprocess executor's worker process. It loads the code location once, then runs
 * the step attempts its parent sends, one at a time, each writing its own events, until told to shut
 * down. SIGTERM interrupts the running step (run cancellation).
 */

import { toSerializableFailure } from "@bosun/core";
import { openInstance } from "@bosun/instance";
import { StorageOutageError } from "@bosun/storage";
import { loadDefinitions } from "../../code-location/load-definitions.ts";
import { executeStepAttempt } from "../step-attempt.ts";
import { openStepSession, type StepSession } from "../step-session.ts";
import type { FromWorker, ToWorker } from "./worker-protocol.ts";

const abort = new AbortController();
process.on("SIGTERM", () => abort.abort(new Error("interrupted")));

let session: StepSession | null = null;
let closeInstance: (() => Promise<void>) | null = null;

function send(message: FromWorker): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case "init": {
      try {
        const instance = await openInstance({ home: message.bosunHome, rideOutOutages: true });
        closeInstance = () => instance.close();
        const definitions = await loadDefinitions(message.origin);
        const run = await instance.storage.runs.getRun(message.runId);
        if (!run) throw new Error(`run ${message.runId} does not exist`);
        session = openStepSession({
          storage: instance.storage,
          definitions,
          run,
          bosunHome: instance.home,
          outputSources: new Map(message.outputSources),
          signal: abort.signal,
          computeLogs: message.computeLogs,
          outageToleranceMs: instance.outageToleranceMs,
        });
        await send({ type: "ready" });
      } catch (error) {
        await send({ type: "init-failed", failure: toSerializableFailure(error) });
        process.exit(1);
      }
      return;
    }
    case "step": {
      const runtime = session!.runtime;
      try {
        const result = await executeStepAttempt(
          runtime,
          runtime.prepared.plan.step(message.stepKey),
          message.retryNumber,
        );
        await runtime.events.flush();
        await send({ type: "result", stepKey: message.stepKey, result });
      } catch (error) {
        if (!(error instanceof StorageOutageError)) throw error;
        // The run fails for the outage, not for this process's exit: tell the run worker why.
        const cause = error.cause instanceof Error ? error.cause.message : null;
        await send({
          type: "outage",
          stepKey: message.stepKey,
          toleranceMs: error.toleranceMs,
          outageMs: error.outageMs,
          causeMessage: cause,
        });
        process.stderr.write(`step worker stopped: ${error.message}\n`);
        process.exit(1);
      }
      return;
    }
    case "shutdown": {
      await session?.close();
      await closeInstance?.();
      process.disconnect?.();
      process.exit(0);
    }
  }
}

// Messages are handled strictly in order.
let queue: Promise<void> = Promise.resolve();
process.on("message", (message: ToWorker) => {
  queue = queue
    .then(() => handle(message))
    .catch((error) => {
      process.stderr.write(`step worker failed: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exit(1);
    });
});
process.on("disconnect", () => {
  // The run worker is gone: nobody will read our result.
  if (!abort.signal.aborted) abort.abort(new Error("parent disconnected"));
  setTimeout(() => process.exit(1), 5_000).unref();
});
