import type { PlanStepSummary } from "@bosun/code-server";
import { didYouMean } from "@bosun/core";
import { NothingToReexecuteError, RunRequestFieldsError } from "./run-request-errors.ts";

/**
 * How a re-execution picks its steps: every step (`all`), the steps of the parent that did not succeed
 * and everything downstream of them (`fromFailure`), or the given steps (`selected`).
 */
export type ReexecutionMode = "all" | "fromFailure" | "selected";

/** What the choice is made from: the parent run and the plan its code location returns today. */
export interface ReexecutionContext {
  readonly parentRunId: string;
  readonly jobName: string;
  /** Every step of the job's plan, in plan order, with what each reads (from the code location). */
  readonly planSteps: readonly PlanStepSummary[];
  /** The steps the parent executed; null when it executed all of them. */
  readonly parentExecuted: readonly string[] | null;
  /** The steps that succeeded in the parent. */
  readonly succeeded: ReadonlySet<string>;
}

/**
 * The step keys a re-execution executes, in plan order; null for all of them. Refuses step keys with a
 * mode other than `selected`, an empty or unknown selection (naming the nearest step), and a
 * from-failure re-execution of a run where every executed step succeeded.
 */
export function chooseReexecutionSteps(
  context: ReexecutionContext,
  mode: ReexecutionMode,
  stepKeys: readonly string[] | undefined,
): readonly string[] | null {
  const order = context.planSteps.map((step) => step.key);
  if (mode !== "selected" && stepKeys !== undefined)
    throw new RunRequestFieldsError([{ field: "stepKeys", message: 'only allowed with mode "selected"' }]);
  switch (mode) {
    case "all":
      return null;
    case "selected": {
      const keys = stepKeys ?? [];
      if (keys.length === 0)
        throw new RunRequestFieldsError([
          { field: "stepKeys", message: 'mode "selected" needs at least one step key' },
        ]);
      const known = new Set(order);
      const issues = keys.flatMap((key, i) =>
        known.has(key)
          ? []
          : [
              {
                field: `stepKeys[${i}]`,
                message: `no step "${key}" in job "${context.jobName}"${didYouMean(key, order)}`,
              },
            ],
      );
      if (issues.length > 0) throw new RunRequestFieldsError(issues);
      const chosen = new Set(keys);
      return order.filter((key) => chosen.has(key));
    }
    case "fromFailure": {
      const downstream = downstreamOf(context.planSteps);
      const executed = new Set(context.parentExecuted ?? order);
      const chosen = new Set<string>();
      const addWithDownstream = (key: string) => {
        if (chosen.has(key)) return;
        chosen.add(key);
        for (const next of downstream.get(key) ?? []) addWithDownstream(next);
      };
      for (const key of order) if (executed.has(key) && !context.succeeded.has(key)) addWithDownstream(key);
      if (chosen.size === 0) throw new NothingToReexecuteError(context.parentRunId);
      return order.filter((key) => chosen.has(key));
    }
  }
}

function downstreamOf(steps: readonly PlanStepSummary[]): Map<string, string[]> {
  const downstream = new Map<string, string[]>(steps.map((step) => [step.key, []]));
  for (const step of steps) for (const source of step.upstream) downstream.get(source)?.push(step.key);
  return downstream;
}
