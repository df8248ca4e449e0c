import type { JsonValue } from "@bosun/core";

/**
 * Which executor runs a job's steps. Names the executor and carries its config; the engine (or a plugin
 * such as the Kubernetes package) resolves it to an implementation. The run config's
 * `execution.config` is merged over `config`.
 */
export interface ExecutorDefinition {
  readonly name: string;
  readonly config: Readonly<Record<string, JsonValue>>;
}

/** Steps run one after another inside the run worker process. */
export function inProcessExecutor(): ExecutorDefinition {
  return { name: "in_process", config: {} };
}

/**
 * Steps run in a pool of worker processes, at most `maxConcurrent` at once. Workers are reused between
 * steps unless `freshProcessPerStep` is set.
 */
export function multiprocessExecutor(
  options: { maxConcurrent?: number; freshProcessPerStep?: boolean } = {},
): ExecutorDefinition {
  const config: Record<string, JsonValue> = {};
  if (options.maxConcurrent !== undefined) config.max_concurrent = options.maxConcurrent;
  if (options.freshProcessPerStep !== undefined) config.fresh_process_per_step = options.freshProcessPerStep;
  return { name: "multiprocess", config };
}

/**
 * Steps go to step queues (`bosun queue worker` takes them): each step to the queue its op or asset tag
 * `bosun-queue/queue` names (default `default`), ordered by `bosun-queue/priority` plus the run's
 * `bosun/priority`, higher first. Queue widths and rate limits in `bosun.yaml` apply over every run. See
 * docs/step-queues.md.
 *
 * @example
 * const load = op({ name: "load", tags: { "bosun-queue/queue": "warehouse", "bosun-queue/priority": 5 }, run });
 * export const nightly = job({ name: "nightly", executor: queueExecutor(), build: () => { load(); } });
 */
export function queueExecutor(options: { maxConcurrent?: number } = {}): ExecutorDefinition {
  const config: Record<string, JsonValue> = {};
  if (options.maxConcurrent !== undefined) config.max_concurrent = options.maxConcurrent;
  return { name: "queue", config };
}
