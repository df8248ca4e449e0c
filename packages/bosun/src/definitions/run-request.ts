import type { JsonValue } from "../runs/run.ts";

/** A request, from a schedule or sensor, to launch a run of its job. */
export interface RunRequest {
  /** Deduplicates requests: a sensor never launches two runs with the same key. */
  readonly runKey?: string;
  readonly runConfig?: Readonly<Record<string, JsonValue>>;
  readonly tags?: Readonly<Record<string, string>>;
  readonly partitionKey?: string;
}
