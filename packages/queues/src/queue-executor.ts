/**
 * The `queue` executor factory the engine resolves `queueExecutor()` (or `executor: queue` in run config)
 * to, provided to run workers by `queuesPlugin`. It places every step on its queue, checks at the run's
 * start that each queue is known (listed in `bosun.yaml` or served by a live worker) and opens the
 * backend `bosun.yaml` names.
 */

import type { ExecutorFactory } from "@bosun/engine";
import { parseQueueSettings, readInstanceConfig } from "@bosun/instance";
import { z } from "zod";
import { openQueueBackend } from "./queue-backend.ts";
import { QueueStepLauncher, type StepPlacement } from "./queue-step-launcher.ts";
import { DEFAULT_QUEUE, queueOfOp, stepPriority } from "./queue-tags.ts";

/** The name the queue executor is registered under. */
export const QUEUE_EXECUTOR_NAME = "queue";

/** `execution.config` of the queue executor. */
export const queueExecutorConfigSchema = z
  .strictObject({
    /** Steps of one run in flight at once (queued or running); the queues' widths cap them across runs. */
    max_concurrent: z.number().int().positive().optional(),
  })
  .describe("Config of the queue executor");

/** A step names a queue that `bosun.yaml` does not list and no live worker serves. */
export class UnknownQueueError extends Error {
  constructor(
    readonly opName: string,
    readonly queue: string,
    readonly known: readonly string[],
  ) {
    super(
      `op "${opName}" names queue \`${queue}\` (tag bosun-queue/queue), which is not in bosun.yaml's queues and served by no worker (known: ${known.join(", ")})`,
    );
    this.name = "UnknownQueueError";
  }
}

/** The engine's side: one QueueStepLauncher per run. */
export const queueExecutorFactory: ExecutorFactory<z.output<typeof queueExecutorConfigSchema>> = {
  name: QUEUE_EXECUTOR_NAME,
  configSchema: queueExecutorConfigSchema,
  // Steps run in other processes, possibly on other machines.
  requiredIoReach: "machine",
  async createLauncher(context) {
    const settings = parseQueueSettings(readInstanceConfig(context.bosunHome).raw);
    const placements = new Map<string, StepPlacement>();
    for (const step of context.plan.steps) {
      if (!context.plan.executed.has(step.key)) continue;
      const { opName, tags } = step.computation;
      placements.set(step.key, {
        queue: queueOfOp(opName, tags),
        priority: stepPriority(opName, tags, context.run.tags),
      });
    }
    const backend = await openQueueBackend(settings, context.childEnv.BOSUN_DATABASE_URL);
    try {
      const listed = new Set([DEFAULT_QUEUE, ...Object.keys(settings.definitions)]);
      for (const step of context.plan.steps) {
        const placement = placements.get(step.key);
        if (!placement || listed.has(placement.queue)) continue;
        const served = (await (await backend.queue(placement.queue)).getWorkersCount()) > 0;
        if (!served) throw new UnknownQueueError(step.computation.opName, placement.queue, [...listed]);
        listed.add(placement.queue);
      }
    } catch (error) {
      await backend.close();
      throw error;
    }
    return new QueueStepLauncher({
      run: context.run,
      origin: context.origin,
      placements,
      backend,
      events: context.events,
      eventLog: context.storage.events,
      maxConcurrent: context.config.max_concurrent ?? 1_000,
      onClose: () => backend.close(),
    });
  },
};
