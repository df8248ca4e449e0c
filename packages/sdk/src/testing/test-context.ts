import { didYouMean } from "@bosun/core";
import type { ConfigIssue } from "../definitions/config-parsing.ts";
import type { NodeComputation } from "../definitions/graph-model.ts";
import type { MetadataInput } from "../definitions/metadata.ts";
import type { OpContext, RunLogger } from "../definitions/op-context.ts";
import { partitionTimeWindow } from "../definitions/partitions.ts";

/** What every helper of `bosun/testing` accepts besides inputs, config and resources. */
export interface TestRunOptions {
  /** The partition to run for (`ctx.partitionKey`, and `ctx.partitionTimeWindow` for time partitions). */
  readonly partitionKey?: string;
  /** Where `ctx.log` writes; nothing is written by default. */
  readonly log?: RunLogger;
  /** Aborts `ctx.signal`, as canceling a run would. */
  readonly signal?: AbortSignal;
}

/** The run id `ctx.runId` holds in a test. */
export const TEST_RUN_ID = "test-run";

const SILENT_LOGGER: RunLogger = {
  debug: () => undefined,
  info: () => undefined,
  warning: () => undefined,
  error: () => undefined,
  critical: () => undefined,
  log: () => undefined,
};

/**
 * The resources a computation declares, taken from `given`; a declared key that was not given is an
 * issue naming it (and the nearest given key, for a typo).
 */
export function declaredResources(
  computation: NodeComputation,
  given: Readonly<Record<string, unknown>> | undefined,
  issues: ConfigIssue[],
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const givenKeys = Object.keys(given ?? {});
  for (const key of computation.requiredResources) {
    if (given && key in given) values[key] = given[key];
    else
      issues.push({
        path: `resources.${key}`,
        message: `is used by this ${computation.assetKey ? "asset" : "op"} but was not given${didYouMean(key, givenKeys)}; pass resources: { ${key}: <a value or a fake> }`,
      });
  }
  return values;
}

/** The context `run` receives in a test, and the output metadata it records. */
export function testContext(
  computation: NodeComputation,
  config: unknown,
  resources: Readonly<Record<string, unknown>>,
  options: TestRunOptions,
): { readonly ctx: OpContext; readonly metadata: Record<string, MetadataInput> } {
  const metadata: Record<string, MetadataInput> = {};
  const partitionKey = options.partitionKey ?? null;
  const ctx: OpContext = {
    runId: TEST_RUN_ID,
    jobName: "test",
    stepKey: computation.opName,
    opName: computation.opName,
    config,
    resources,
    partitionKey,
    partitionTimeWindow:
      partitionKey !== null && computation.partitions
        ? partitionTimeWindow(computation.partitions, partitionKey)
        : null,
    assetKey: computation.assetKey,
    retryNumber: 0,
    log: options.log ?? SILENT_LOGGER,
    signal: options.signal ?? new AbortController().signal,
    addOutputMetadata(entries: MetadataInput, outputName = "result") {
      metadata[outputName] = { ...(metadata[outputName] ?? {}), ...entries };
    },
  };
  return { ctx, metadata };
}
