/**
 * `@bosun/queues/plugin`: what this package adds to the `bosun` command, and nothing heavier. BullMQ and
 * its drivers load only when a run uses the queue executor.
 */
import type { BosunPlugin } from "@bosun/runs";

/** The queue executor (`queue`), loaded on first use. */
export const queuesPlugin: BosunPlugin = {
  name: "@bosun/queues",
  executors: {
    queue: async () => (await import("./queue-executor.ts")).queueExecutorFactory,
  },
};
