import { availableParallelism } from "node:os";
import { z } from "zod";
import type { ExecutorFactory } from "./executor-registry.ts";
import { ProcessPoolLauncher } from "./process-pool-launcher.ts";

const multiprocessConfig = z
  .object({
    /** Steps running at once; defaults to the number of CPUs. */
    max_concurrent: z.number().int().positive().optional(),
    /** Start a new process for every step instead of reusing pool workers. */
    fresh_process_per_step: z.boolean().optional(),
  })
  .strict();

/** Runs steps in a pool of reusable worker processes on this machine. */
export const multiprocessExecutorFactory: ExecutorFactory<z.output<typeof multiprocessConfig>> = {
  name: "multiprocess",
  configSchema: multiprocessConfig,
  requiredIoReach: "machine",
  createLauncher: (context) =>
    new ProcessPoolLauncher({
      runId: context.run.runId,
      origin: context.origin,
      bosunHome: context.bosunHome,
      outputSources: context.outputSources,
      maxConcurrent: context.config.max_concurrent ?? availableParallelism(),
      freshProcessPerStep: context.config.fresh_process_per_step ?? false,
      env: context.childEnv,
      events: context.events,
      computeLogs: context.session.runtime.computeLogSettings,
    }),
};
