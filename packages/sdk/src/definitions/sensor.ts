import { assertValidName } from "./definition-error.ts";
import type { JobDefinition } from "./job.ts";
import type { RunRequest } from "./run-request.ts";

export interface SensorEvaluationContext {
  /** What the previous evaluation returned as `cursor`, or null the first time. */
  readonly cursor: string | null;
  readonly lastRunKey: string | null;
}

export interface SensorResult {
  readonly runRequests?: readonly RunRequest[];
  /** Stored and passed to the next evaluation. */
  readonly cursor?: string;
  readonly skipReason?: string;
}

export interface SensorDefinition {
  readonly kind: "sensor";
  readonly name: string;
  readonly jobName: string;
  readonly minimumIntervalSeconds: number;
  readonly description: string | undefined;
  readonly defaultStatus: "RUNNING" | "STOPPED";
  evaluate(ctx: SensorEvaluationContext): SensorResult | Promise<SensorResult>;
}

/**
 * Watches for something and requests runs. Evaluated by the daemon at most every
 * `minimumIntervalSeconds` (default 30).
 */
export function sensor(options: {
  name: string;
  job: JobDefinition | string;
  minimumIntervalSeconds?: number;
  description?: string;
  defaultStatus?: "RUNNING" | "STOPPED";
  evaluate: (ctx: SensorEvaluationContext) => SensorResult | Promise<SensorResult>;
}): SensorDefinition {
  assertValidName("sensor", options.name);
  return {
    kind: "sensor",
    name: options.name,
    jobName: typeof options.job === "string" ? options.job : options.job.name,
    minimumIntervalSeconds: options.minimumIntervalSeconds ?? 30,
    description: options.description,
    defaultStatus: options.defaultStatus ?? "STOPPED",
    evaluate: options.evaluate,
  };
}
