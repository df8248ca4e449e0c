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

export interface ExecutorFactory<C = unknown> {
  readonly name: string;
  /** zod schema of the executor's config (`execution.config` in run config). */
  readonly configSchema: z.ZodType<C>;
  /** How far outputs must travel between steps: the IO managers used must reach at least this far. */
  readonly requiredIoReach: IoManagerReach;
  createLauncher(context: ExecutorContext<C>): StepLauncher | Promise<StepLauncher>;
}

const factories = new Map<string, ExecutorFactory<any>>();

/** Makes an executor available by name; packages such as the Kubernetes one register theirs on import. */
export function registerExecutor<C>(factory: ExecutorFactory<C>): void {
  factories.set(factory.name, factory);
}

export class UnknownExecutorError extends Error {
  constructor(readonly executorName: string) {
    const known = [...factories.keys()];
    super(
      `no executor named "${executorName}"${didYouMean(executorName, known)} (executors: ${known.join(", ")}); is the package that provides it imported by the code location?`,
    );
    this.name = "UnknownExecutorError";
  }
}

export function executorFactory(name: string): ExecutorFactory<unknown> {
  const factory = factories.get(name);
  if (!factory) throw new UnknownExecutorError(name);
  return factory;
}

export const IO_REACH_ORDER: readonly IoManagerReach[] = ["process", "machine", "cluster"];
