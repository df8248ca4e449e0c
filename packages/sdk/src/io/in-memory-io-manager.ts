import {
  type InputContext,
  type IoManager,
  type OutputContext,
  OutputNotFoundError,
} from "../definitions/io-manager.ts";
import { resource } from "../definitions/resource.ts";

const values = new Map<string, unknown>();

function keyOf(ctx: OutputContext): string {
  return ctx.assetKey
    ? `asset:${ctx.assetKey}:${ctx.partitionKey ?? ""}`
    : `${ctx.runId}:${ctx.stepKey}:${ctx.outputName}`;
}

/**
 * Keeps outputs in the memory of the process that ran the step: only for the in-process executor,
 * where every step shares one process. Runs whose steps execute elsewhere refuse it before starting.
 *
 * @example
 * export const quickJob = job({ name: "quick_job", executor: inProcessExecutor(), build });
 * export default defineDefinitions({ jobs: [quickJob], resources: { io_manager: inMemoryIoManager() } });
 */
export function inMemoryIoManager() {
  return resource({
    description: "Keeps outputs in process memory (in-process executor only)",
    setup: (): IoManager => ({
      reach: "process",
      async handleOutput(ctx: OutputContext, value: unknown) {
        values.set(keyOf(ctx), value);
      },
      async loadInput(ctx: InputContext) {
        const key = keyOf(ctx.upstream);
        if (!values.has(key)) throw new OutputNotFoundError(`memory of process ${process.pid} (${key})`);
        return values.get(key);
      },
    }),
  });
}
