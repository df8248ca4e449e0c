import { z } from "zod";
import { describeConfigIssues } from "./config-issues.ts";

/**
 * The `compute_logs` section of `bosun.yaml`: how steps' stdout and stderr are captured and stored.
 * Every field is optional. It is read by every process that executes steps (run workers, multiprocess
 * step workers, Kubernetes step pods), from the `bosun.yaml` of their `BOSUN_HOME`. See `docs/instance.md`.
 *
 * ```yaml
 * compute_logs:
 *   enabled: true                   # false: steps' output is not stored (it still reaches the worker's own stdout/stderr)
 *   flush_interval_seconds: 0.2     # how often captured output is appended to storage
 *   max_bytes_per_step: 10485760    # per step and stream (stdout, stderr), across retries; -1: no limit
 * ```
 */

/** Default of `max_bytes_per_step`: 10 MiB. */
export const DEFAULT_MAX_COMPUTE_LOG_BYTES = 10 * 1024 * 1024;
/** Smallest `max_bytes_per_step`: room for some output and the truncation marker. */
export const MIN_MAX_COMPUTE_LOG_BYTES = 1024;

/** The `compute_logs` section of `bosun.yaml`. */
export const computeLogsSchema = z
  .strictObject({
    /**
     * Whether steps' stdout and stderr are stored (and shown in the UI). false: output is not captured
     * and goes to the step process's own stdout and stderr (the run worker's log file, the pod's logs).
     */
    enabled: z
      .boolean()
      .default(true)
      .describe("Store steps' stdout/stderr; false leaves output on the worker process's own stdout/stderr"),
    /** How often captured output is appended to storage while a step runs (also flushed when it ends). */
    flush_interval_seconds: z
      .number()
      .positive("flush_interval_seconds must be a positive number of seconds")
      .max(3600, "flush_interval_seconds must be at most 3600")
      .default(0.2)
      .describe("How often captured output is appended to storage while a step runs, in seconds"),
    /**
     * Most bytes stored per step and stream (stdout and stderr each), across the step's retries in one
     * run. Beyond it the rest is dropped and the line `[bosun: output truncated after N bytes]` is stored
     * once; the stored stream, marker included, never exceeds the limit. -1: no limit.
     */
    max_bytes_per_step: z
      .number()
      .int()
      .refine((value) => value === -1 || value >= MIN_MAX_COMPUTE_LOG_BYTES, {
        message: `max_bytes_per_step must be -1 (no limit) or at least ${MIN_MAX_COMPUTE_LOG_BYTES}`,
      })
      .default(DEFAULT_MAX_COMPUTE_LOG_BYTES)
      .describe(
        "Most bytes stored per step and stream (stdout, stderr), across retries; the rest is dropped after a marker line; -1: no limit",
      ),
  })
  .default({ enabled: true, flush_interval_seconds: 0.2, max_bytes_per_step: DEFAULT_MAX_COMPUTE_LOG_BYTES })
  .describe("How steps' stdout and stderr are captured and stored");

/** `compute_logs`, parsed and defaulted; times in milliseconds. */
export interface ComputeLogSettings {
  readonly enabled: boolean;
  readonly flushIntervalMs: number;
  /** null: no limit. */
  readonly maxBytesPerStep: number | null;
}

/** Compute log settings when `bosun.yaml` has no `compute_logs` section: captured, flushed every 200 ms. */
export const DEFAULT_COMPUTE_LOG_SETTINGS: ComputeLogSettings = {
  enabled: true,
  flushIntervalMs: 200,
  maxBytesPerStep: DEFAULT_MAX_COMPUTE_LOG_BYTES,
};

/** Bad `compute_logs` section of `bosun.yaml`: one line per problem, naming the field path. */
export class ComputeLogsConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid instance config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ComputeLogsConfigError";
  }
}

const sectionSchema = z.object({ compute_logs: computeLogsSchema });

/**
 * Validates and defaults the `compute_logs` section of a parsed `bosun.yaml` (other keys are ignored).
 *
 * @example
 * parseComputeLogSettings({ compute_logs: { max_bytes_per_step: -1 } }).maxBytesPerStep; // null
 */
export function parseComputeLogSettings(raw: Readonly<Record<string, unknown>> = {}): ComputeLogSettings {
  const result = sectionSchema.safeParse({ compute_logs: raw.compute_logs ?? undefined });
  if (!result.success)
    throw new ComputeLogsConfigError(describeConfigIssues(sectionSchema, result.error.issues, []));
  const section = result.data.compute_logs;
  return {
    enabled: section.enabled,
    flushIntervalMs: Math.max(1, Math.round(section.flush_interval_seconds * 1000)),
    maxBytesPerStep: section.max_bytes_per_step === -1 ? null : section.max_bytes_per_step,
  };
}
