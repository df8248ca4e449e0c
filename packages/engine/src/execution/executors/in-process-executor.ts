import { z } from "zod";
import { executeStepAttempt } from "../step-attempt.ts";
import type { ExecutorFactory } from "./executor-registry.ts";

/** Runs steps one at a time in the run worker's own process. */
export const inProcessExecutorFactory: ExecutorFactory<Record<string, never>> = {
  name: "in_process",
  configSchema: z.object({}).strict(),
  requiredIoReach: "process",
  createLauncher: ({ session, plan }) => ({
    maxConcurrent: 1,
    launch: (stepKey, retryNumber) => executeStepAttempt(session.runtime, plan.step(stepKey), retryNumber),
    // The step sees the run's abort signal through its runtime; nothing else to stop.
    interrupt: async () => undefined,
    close: async () => undefined,
  }),
};
