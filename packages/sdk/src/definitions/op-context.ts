import type { JsonValue, LogLevel } from "@bosun/core";
import type { MetadataInput } from "./metadata.ts";

/** Structured fields of a log message. */
export type LogFields = Readonly<Record<string, JsonValue>>;

/** Structured logging into the run's event log. */
export interface RunLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warning(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  critical(message: string, fields?: LogFields): void;
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

/** The span a time-window partition covers: from `start` (included) to `end` (excluded), UTC. */
export interface TimeWindow {
  readonly start: Date;
  readonly end: Date;
}

/** What an op's or asset's `run` receives besides its inputs. */
export interface OpContext<TConfig = unknown, TResources = Record<string, unknown>> {
  readonly runId: string;
  readonly jobName: string;
  /** Stable key of this step in the execution plan (the node's path in the graph). */
  readonly stepKey: string;
  readonly opName: string;
  /** Validated config for this op, from the run config's `ops.<step key>.config`. */
  readonly config: TConfig;
  readonly resources: TResources;
  readonly partitionKey: string | null;
  readonly partitionTimeWindow: TimeWindow | null;
  /** Slash-joined asset key, when this step materializes an asset. */
  readonly assetKey: string | null;
  /** 0 on the first attempt, then 1, 2... on retries. */
  readonly retryNumber: number;
  readonly log: RunLogger;
  /** Aborted when the run is being canceled: pass it to fetch() and friends. */
  readonly signal: AbortSignal;
  /** Metadata recorded on the output's events (and the asset materialization). */
  addOutputMetadata(metadata: MetadataInput, outputName?: string): void;
}
