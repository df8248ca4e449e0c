/**
 * IO managers store step outputs and load them as inputs downstream. `reach` says how far a stored value
 * can travel, so a run whose steps execute apart from each other is refused before it starts when its
 * IO manager cannot follow.
 */
export type IoManagerReach = "process" | "machine" | "cluster";

export interface OutputContext {
  readonly runId: string;
  readonly stepKey: string;
  readonly outputName: string;
  readonly assetKey: string | null;
  readonly partitionKey: string | null;
}

export interface InputContext {
  /** The output being loaded: the run that produced it may be an earlier run (re-execution). */
  readonly upstream: OutputContext;
  readonly inputName: string;
}

export interface IoManager {
  readonly reach: IoManagerReach;
  handleOutput(ctx: OutputContext, value: unknown): Promise<void>;
  loadInput(ctx: InputContext): Promise<unknown>;
}

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
