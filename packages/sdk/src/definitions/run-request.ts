import type { JsonValue } from "@bosun/core";

/** A request, from a schedule or sensor, to launch a run of its job. */
export interface RunRequest {
  /** Deduplicates requests: a sensor never launches two runs with the same key. */
  readonly runKey?: string;
  readonly runConfig?: Readonly<Record<string, JsonValue>>;
  readonly tags?: Readonly<Record<string, string>>;
  readonly partitionKey?: string;
}
