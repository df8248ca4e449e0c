import { newEvent, toSerializableFailure } from "@bosun/core";
import type { ComputeLogSettings } from "@bosun/instance";
import { type ComputeLogStorage, StorageOutageError } from "@bosun/storage";
import type { InputBinding, OpContext } from "bosun";
import {
  Failure,
  type IoManager,
  isIoManager,
  type MetadataInput,
  normalizeMetadata,
  type OutputContext,
  RetryRequested,
  retryDelayMs,
} from "bosun";
import type { EventWriter } from "../events/event-writer.ts";
import { ComputeLogRecorder, withCapturedOutput } from "./compute-log-capture.ts";
import type { PlanStep } from "./plan.ts";
import { type PreparedRun, stepPartitionKey } from "./prepare-run.ts";
import type { ResourceScope } from "./resource-scope.ts";
import { createRunLogger } from "./run-logger.ts";

/**
 * How a step attempt ended: success, a retry after `delayMs`, or failure (`interrupted` when the run was
 * being canceled).
 */
export type StepAttemptResult =
  | { readonly outcome: "success" }
  | { readonly outcome: "retry"; readonly delayMs: number }
  | { readonly outcome: "failure"; readonly interrupted?: boolean };

/** What a process executing steps of a run holds while it does. */
export interface StepRuntime {
  readonly runId: string;
  readonly prepared: PreparedRun;
  readonly resources: ResourceScope;
  readonly events: EventWriter;
  readonly computeLogs: ComputeLogStorage;
  /** `compute_logs` of `bosun.yaml`: whether and how steps' output is captured. */
  readonly computeLogSettings: ComputeLogSettings;
  /** `storage.outage_tolerance_seconds` in ms: how long writes wait out a database outage. */
  readonly outageToleranceMs: number;
  /** For steps this run does not execute: the earlier run whose stored outputs to read. */
  readonly outputSources: ReadonlyMap<string, string>;
  readonly signal: AbortSignal;
}

export class StepInterruptedError extends Error {
  constructor(readonly stepKey: string) {
    super(`step "${stepKey}" was interrupted because the run is being canceled`);
    this.name = "StepInterruptedError";
  }
}

export class InvalidStepOutputError extends Error {
  constructor(
    readonly stepKey: string,
    message: string,
  ) {
    super(`step "${stepKey}": ${message}`);
    this.name = "InvalidStepOutputError";
  }
}

/**
 * Runs one attempt of one step: loads its inputs through IO managers, calls user code with its output
 * captured, stores outputs, and records every stage as events. Decides whether a failure is retried (the
 * caller schedules the retry). Does not flush events: callers flush when the result must be visible to
 * another process.
 */
export async function executeStepAttempt(
  runtime: StepRuntime,
  step: PlanStep,
  retryNumber: number,
): Promise<StepAttemptResult> {
  const { runId, events } = runtime;
  const emit = events.emit.bind(events);
  const started = performance.now();
  const partitionKey = stepPartitionKey(runtime.prepared, step);
  emit(
    newEvent(runId, "STEP_START", {
      stepKey: step.key,
      message: `Started execution of step "${step.key}"`,
      data: { attempt: retryNumber + 1, pid: process.pid },
    }),
  );
  const outputMetadata = new Map<string, MetadataInput>();
  let recorder: ComputeLogRecorder | null = null;
  try {
    // Disabled: output is not captured and reaches this process's own stdout and stderr.
    if (runtime.computeLogSettings.enabled)
      recorder = await ComputeLogRecorder.open(
        runtime.computeLogs,
        runId,
        step.key,
        runtime.computeLogSettings,
        runtime.outageToleranceMs,
      );
    const inputs = await loadInputs(runtime, step, partitionKey);
    const resources = await runtime.resources.getAll(step.computation.requiredResources);
    const ctx: OpContext = {
      runId,
      jobName: runtime.prepared.job.name,
      stepKey: step.key,
      opName: step.computation.opName,
      config: runtime.prepared.config.ops.get(step.key),
      resources,
      partitionKey,
      partitionTimeWindow: partitionKey === null ? null : runtime.prepared.timeWindow,
      assetKey: step.computation.assetKey,
      retryNumber,
      log: createRunLogger(events, runId, step.key),
      signal: runtime.signal,
      addOutputMetadata(metadata, outputName = "result") {
        outputMetadata.set(outputName, { ...(outputMetadata.get(outputName) ?? {}), ...metadata });
      },
    };
    const call = () => untilAborted(runtime.signal, step.key, async () => step.computation.run(ctx, inputs));
    const returned = recorder ? await withCapturedOutput(recorder, call) : await call();
    await storeOutputs(runtime, step, partitionKey, returned, outputMetadata);
    await finishLogs(runtime, step, retryNumber, recorder);
    emit(
      newEvent(runId, "STEP_SUCCESS", {
        stepKey: step.key,
        message: `Finished execution of step "${step.key}"`,
        data: { durationMs: Math.round(performance.now() - started) },
      }),
    );
    return { outcome: "success" };
  } catch (error) {
    // The database stayed away too long: that ends the run (its reason says so), not just this step.
    if (error instanceof StorageOutageError) throw error;
    await finishLogs(runtime, step, retryNumber, recorder).catch(() => undefined);
    return failureOutcome(runtime, step, retryNumber, error);
  }
}

/**
 * Stores what is left of the step's output and says where it is, when it wrote any. Every attempt of a
 * step appends to the same streams, so the event also says where this attempt's output ends (bytes of
 * each stream): the UI shows one attempt's output by cutting at the previous attempt's end and this one.
 */
async function finishLogs(
  runtime: StepRuntime,
  step: PlanStep,
  retryNumber: number,
  recorder: ComputeLogRecorder | null,
): Promise<void> {
  if (!recorder) return;
  await recorder.flush();
  if (!recorder.captured) return;
  const logEnd = {
    stdout: await runtime.computeLogs.size(runtime.runId, step.key, "stdout"),
    stderr: await runtime.computeLogs.size(runtime.runId, step.key, "stderr"),
  };
  runtime.events.emit(
    newEvent(runtime.runId, "LOGS_CAPTURED", {
      stepKey: step.key,
      level: "debug",
      message: `Captured stdout/stderr of step "${step.key}"`,
      data: { stepKeys: [step.key], logKey: step.key, attempt: retryNumber + 1, logEnd },
    }),
  );
}

function failureOutcome(
  runtime: StepRuntime,
  step: PlanStep,
  retryNumber: number,
  error: unknown,
): StepAttemptResult {
  const failure = toSerializableFailure(error);
  const interrupted = error instanceof StepInterruptedError;
  let maxRetries = step.computation.retryPolicy?.maxRetries ?? 0;
  let delayMs = step.computation.retryPolicy
    ? retryDelayMs(step.computation.retryPolicy, retryNumber + 1)
    : 0;
  if (error instanceof RetryRequested) {
    maxRetries = error.maxRetries;
    delayMs = error.delayMs;
  }
  const retryable =
    !interrupted && !(error instanceof Failure && !error.allowRetries) && retryNumber < maxRetries;
  if (retryable) {
    runtime.events.emit(
      newEvent(runtime.runId, "STEP_RETRY", {
        stepKey: step.key,
        level: "warning",
        message: `Step "${step.key}" failed (${failure.className}: ${failure.message}); retry ${retryNumber + 1} of ${maxRetries} in ${delayMs} ms`,
        data: { failure, attempt: retryNumber + 1, delayMs },
      }),
    );
    return { outcome: "retry", delayMs };
  }
  runtime.events.emit(
    newEvent(runtime.runId, "STEP_FAILURE", {
      stepKey: step.key,
      level: "error",
      message: `Step "${step.key}" failed: ${failure.className}: ${failure.message}`,
      data: { failure, attempt: retryNumber + 1, retriesExhausted: maxRetries > 0 },
    }),
  );
  return interrupted ? { outcome: "failure", interrupted: true } : { outcome: "failure" };
}

/** Awaits `fn` unless the run is canceled first; user code sees the same signal to stop early. */
async function untilAborted<T>(signal: AbortSignal, stepKey: string, fn: () => Promise<T>): Promise<T> {
  if (signal.aborted) throw new StepInterruptedError(stepKey);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new StepInterruptedError(stepKey));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([fn(), aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort!);
  }
}

async function ioManager(runtime: StepRuntime, key: string): Promise<IoManager> {
  const value = await runtime.resources.get(key);
  if (!isIoManager(value))
    throw new Error(`resource "${key}" is used as an IO manager but has no handleOutput/loadInput`);
  return value;
}

function upstreamContext(
  runtime: StepRuntime,
  nodeKey: string,
  output: string,
  partitionKey: string | null,
): OutputContext {
  const upstream = runtime.prepared.plan.step(nodeKey);
  const producedBy = runtime.prepared.plan.executed.has(nodeKey)
    ? runtime.runId
    : runtime.outputSources.get(nodeKey);
  if (!producedBy)
    throw new Error(`no earlier run produced the outputs of step "${nodeKey}"; re-execute it too`);
  return {
    runId: producedBy,
    stepKey: nodeKey,
    outputName: output,
    assetKey: upstream.computation.assetKey,
    partitionKey: upstream.computation.assetKey && !upstream.computation.partitions ? null : partitionKey,
  };
}

async function loadInputs(
  runtime: StepRuntime,
  step: PlanStep,
  partitionKey: string | null,
): Promise<Record<string, unknown>> {
  const inputs: Record<string, unknown> = {};
  for (const [inputName, binding] of Object.entries(step.inputs)) {
    inputs[inputName] = await loadBinding(runtime, step, inputName, binding, partitionKey);
  }
  return inputs;
}

async function loadBinding(
  runtime: StepRuntime,
  step: PlanStep,
  inputName: string,
  binding: InputBinding,
  partitionKey: string | null,
): Promise<unknown> {
  const loadOne = async (node: string, output: string) => {
    const upstream = upstreamContext(runtime, node, output, partitionKey);
    const managerKey = runtime.prepared.plan.step(node).computation.ioManagerKey;
    const value = await (await ioManager(runtime, managerKey)).loadInput({ upstream, inputName });
    runtime.events.emit(
      newEvent(runtime.runId, "LOADED_INPUT", {
        stepKey: step.key,
        level: "debug",
        message: `Loaded input "${inputName}" from "${node}.${output}" using "${managerKey}"`,
        data: { inputName, fromStepKey: node, fromOutput: output, ioManager: managerKey },
      }),
    );
    return value;
  };
  switch (binding.kind) {
    case "output":
      return loadOne(binding.node, binding.output);
    case "fanIn": {
      // One after another, so LOADED_INPUT events follow the order of the sources.
      const values: unknown[] = [];
      for (const source of binding.sources) values.push(await loadOne(source.node, source.output));
      return values;
    }
    case "asset": {
      const upstream: OutputContext = {
        runId: runtime.runId,
        stepKey: binding.assetKey,
        outputName: "result",
        assetKey: binding.assetKey,
        partitionKey: null,
      };
      const value = await (await ioManager(runtime, binding.ioManagerKey)).loadInput({ upstream, inputName });
      runtime.events.emit(
        newEvent(runtime.runId, "LOADED_INPUT", {
          stepKey: step.key,
          level: "debug",
          message: `Loaded input "${inputName}" from stored asset "${binding.assetKey}"`,
          data: {
            inputName,
            fromStepKey: binding.assetKey,
            fromOutput: "result",
            ioManager: binding.ioManagerKey,
          },
        }),
      );
      return value;
    }
  }
}

async function storeOutputs(
  runtime: StepRuntime,
  step: PlanStep,
  partitionKey: string | null,
  returned: unknown,
  metadataByOutput: ReadonlyMap<string, MetadataInput>,
): Promise<void> {
  const { outputs } = step.computation;
  const values = new Map<string, unknown>();
  if (outputs.length === 1 && outputs[0] === "result") values.set("result", returned);
  else {
    if (typeof returned !== "object" || returned === null) {
      throw new InvalidStepOutputError(
        step.key,
        `declares outputs ${outputs.join(", ")} and must return an object with those keys, got ${returned === null ? "null" : typeof returned}`,
      );
    }
    for (const name of outputs) {
      if (!(name in returned))
        throw new InvalidStepOutputError(step.key, `returned no value for output "${name}"`);
      values.set(name, (returned as Record<string, unknown>)[name]);
    }
  }
  const manager = await ioManager(runtime, step.computation.ioManagerKey);
  for (const [outputName, value] of values) {
    const metadata = normalizeMetadata(metadataByOutput.get(outputName));
    const context: OutputContext = {
      runId: runtime.runId,
      stepKey: step.key,
      outputName,
      assetKey: step.computation.assetKey,
      partitionKey,
    };
    runtime.events.emit(
      newEvent(runtime.runId, "STEP_OUTPUT", {
        stepKey: step.key,
        level: "debug",
        message: `Yielded output "${outputName}"`,
        data: { outputName, metadata },
      }),
    );
    await manager.handleOutput(context, value);
    runtime.events.emit(
      newEvent(runtime.runId, "HANDLED_OUTPUT", {
        stepKey: step.key,
        level: "debug",
        message: `Handled output "${outputName}" using "${step.computation.ioManagerKey}"`,
        data: { outputName, ioManager: step.computation.ioManagerKey },
      }),
    );
    if (step.computation.assetKey) {
      runtime.events.emit(
        newEvent(runtime.runId, "ASSET_MATERIALIZATION", {
          stepKey: step.key,
          message: `Materialized asset "${step.computation.assetKey}"${partitionKey ? ` partition "${partitionKey}"` : ""}`,
          data: { assetKey: step.computation.assetKey, partitionKey, metadata },
        }),
      );
    }
  }
}
