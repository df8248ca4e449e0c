import { Cron } from "croner";
import { assertValidName, DefinitionError } from "./definition-error.ts";
import type { JobDefinition } from "./job.ts";
import type { RunRequest } from "./run-request.ts";

/** What a schedule's `evaluate` receives. */
export interface ScheduleEvaluationContext {
  /** The tick this evaluation is for. */
  readonly scheduledTime: Date;
}

export type ScheduleResult = RunRequest | readonly RunRequest[] | { readonly skipReason: string };

/** A schedule as `schedule` returns it. */
export interface ScheduleDefinition {
  readonly kind: "schedule";
  readonly name: string;
  readonly cron: string;
  /** IANA timezone the cron expression is read in. */
  readonly timezone: string;
  readonly jobName: string;
  readonly description: string | undefined;
  readonly defaultStatus: "RUNNING" | "STOPPED";
  evaluate(ctx: ScheduleEvaluationContext): ScheduleResult | Promise<ScheduleResult>;
}

/**
 * Runs a job on a cron schedule. By default each tick requests one run with no config.
 *
 * @example
 * schedule({ name: "hourly_sum", cron: "0 * * * *", job: sumJob, timezone: "Europe/Paris" })
 */
export function schedule(options: {
  name: string;
  cron: string;
  job: JobDefinition | string;
  timezone?: string;
  description?: string;
  defaultStatus?: "RUNNING" | "STOPPED";
  evaluate?: (ctx: ScheduleEvaluationContext) => ScheduleResult | Promise<ScheduleResult>;
}): ScheduleDefinition {
  assertValidName("schedule", options.name);
  const timezone = options.timezone ?? "UTC";
  try {
    new Cron(options.cron, { timezone, paused: true });
  } catch (error) {
    throw new DefinitionError(
      "INVALID_NAME",
      `schedule "${options.name}": cron ${JSON.stringify(options.cron)} in timezone "${timezone}" is invalid: ${(error as Error).message}`,
      [options.name],
    );
  }
  return {
    kind: "schedule",
    name: options.name,
    cron: options.cron,
    timezone,
    jobName: typeof options.job === "string" ? options.job : options.job.name,
    description: options.description,
    defaultStatus: options.defaultStatus ?? "STOPPED",
    evaluate: options.evaluate ?? (() => ({})),
  };
}
