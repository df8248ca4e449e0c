import type { RunRecord } from "@bosun/core";
import { didYouMean } from "@bosun/core";
import type { BosunStorage } from "@bosun/storage";
import type { IoManagerReach } from "bosun";
import type { z } from "zod";
import type { CodeOrigin } from "../../code-location/load-definitions.ts";
import type { EventWriter } from "../../events/event-writer.ts";
import type { ExecutionPlan } from "../plan.ts";
import type { StepLauncher } from "../step-launcher.ts";
import type { StepSession } from "../step-session.ts";

/** What an executor gets to build its launcher for one run. */
export interface ExecutorContext<C> {
  readonly run: RunRecord;
  readonly plan: ExecutionPlan;
  readonly config: C;
  readonly origin: CodeOrigin;
  readonly bosunHome: string;
  readonly outputSources: ReadonlyMap<string, string>;
  readonly events: EventWriter;
  /** Environment for processes the executor starts, so they reach the same storage. */
  readonly childEnv: Readonly<Record<string, string>>;
  /** The run worker's own step session, for executors that run steps in this process. */
  readonly session: StepSession;
  /** The instance's storage, for executors that follow steps running elsewhere through the event log. */
  readonly storage: BosunStorage;
}

/** An executor implementation: its name and config schema, and how it creates the `StepLauncher` of a run. */
export interface ExecutorFactory<C = unknown> {
  readonly name: string;
  /** zod schema of the executor's config (`execution.config` in run config). */
  readonly configSchema: z.ZodType<C>;
  /** How far outputs must travel between steps: the IO managers used must reach at least this far. */
  readonly requiredIoReach: IoManagerReach;
  createLauncher(context: ExecutorContext<C>): StepLauncher | Promise<StepLauncher>;
}

/**
 * Executors a run worker can use beyond the built-in ones, by the name a job's executor definition
 * carries; each is loaded only when a run uses it (the Kubernetes one brings the Kubernetes client).
 * The composing package (the `bosun` command) gathers them from its plugins.
 */
export type ExecutorLoaders = Readonly<Record<string, () => Promise<ExecutorFactory<any>>>>;

/** No built-in executor and no loader has the name a job's executor definition carries. */
export class UnknownExecutorError extends Error {
  constructor(
    readonly executorName: string,
    readonly known: readonly string[],
  ) {
    super(
      `no executor named "${executorName}"${didYouMean(executorName, known)} (executors: ${known.join(", ")}); executors other than the built-in ones come from the plugins of the bosun command`,
    );
    this.name = "UnknownExecutorError";
  }
}

/** Reach of IO managers from the nearest to the farthest, for comparing an executor's needs with them. */
export const IO_REACH_ORDER: readonly IoManagerReach[] = ["process", "machine", "cluster"];
