import { assertValidName } from "./definition-error.ts";
import type { JobDefinition } from "./job.ts";
import type { RunRequest } from "./run-request.ts";

/** What a sensor's `evaluate` receives: its cursor, and the run key of the last run its ticks requested. */
export interface SensorEvaluationContext {
  /** What the previous evaluation returned as `cursor`, or null the first time. */
  readonly cursor: string | null;
  readonly lastRunKey: string | null;
}

/** What a sensor's `evaluate` returns: runs to request, the cursor to store, or why it skipped. */
export interface SensorResult {
  readonly runRequests?: readonly RunRequest[];
  /** Stored and passed to the next evaluation. */
  readonly cursor?: string;
  readonly skipReason?: string;
}

/** A sensor as `sensor` returns it. */
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
 * `minimumIntervalSeconds` (default 30); stopped until turned on unless `defaultStatus` is RUNNING. A run
 * key the sensor requested before is not launched again, and `cursor` is handed to the next evaluation.
 *
 * @example
 * const newFiles = sensor({
 *   name: "new_files",
 *   job: importJob,
 *   evaluate: async ({ cursor }) => {
 *     const files = (await readdir("/data/inbox")).filter((f) => f > (cursor ?? "")).sort();
 *     if (files.length === 0) return { skipReason: "no new files" };
 *     return {
 *       runRequests: files.map((file) => ({ runKey: file, tags: { file } })),
 *       cursor: files.at(-1),
 *     };
 *   },
 * });
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
