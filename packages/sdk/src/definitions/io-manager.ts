/**
 * IO managers store step outputs and load them as inputs downstream. `reach` says how far a stored value
 * can travel, so a run whose steps execute apart from each other is refused before it starts when its
 * IO manager cannot follow.
 */
export type IoManagerReach = "process" | "machine" | "cluster";

/** The output being stored: its run, step and name, and its asset key and partition when it is an asset. */
export interface OutputContext {
  readonly runId: string;
  readonly stepKey: string;
  readonly outputName: string;
  readonly assetKey: string | null;
  readonly partitionKey: string | null;
}

/** The input being loaded, and the upstream output it comes from. */
export interface InputContext {
  /** The output being loaded: the run that produced it may be an earlier run (re-execution). */
  readonly upstream: OutputContext;
  readonly inputName: string;
}

/**
 * Stores step outputs (`handleOutput`) and loads them as inputs downstream (`loadInput`). A resource whose
 * setup returns one serves as an IO manager: under the key `io_manager` for every output, or under the key an
 * op or asset names in `ioManagerKey`. Bosun ships `fsIoManager` (the default), `inMemoryIoManager` and
 * `postgresIoManager`.
 *
 * @example
 * const values = new Map<string, unknown>();
 * const keyOf = (ctx: OutputContext) => `${ctx.runId}/${ctx.stepKey}/${ctx.outputName}`;
 * const mapIoManager = resource({
 *   setup: (): IoManager => ({
 *     reach: "process",
 *     handleOutput: async (ctx, value) => void values.set(keyOf(ctx), value),
 *     loadInput: async (ctx) => values.get(keyOf(ctx.upstream)),
 *   }),
 * });
 * export default defineDefinitions({ jobs: [sumJob], resources: { io_manager: mapIoManager } });
 */
export interface IoManager {
  readonly reach: IoManagerReach;
  handleOutput(ctx: OutputContext, value: unknown): Promise<void>;
  loadInput(ctx: InputContext): Promise<unknown>;
}

/** True for an object with `handleOutput` and `loadInput` functions. */
export function isIoManager(value: unknown): value is IoManager {
  const candidate = value as Partial<IoManager> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.handleOutput === "function" &&
    typeof candidate.loadInput === "function"
  );
}

export class OutputNotFoundError extends Error {
  constructor(readonly where: string) {
    super(`no stored output at ${where}: did the step that produces it run and succeed?`);
    this.name = "OutputNotFoundError";
  }
}
