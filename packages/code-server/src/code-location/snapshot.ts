import type { JsonValue, SerializableFailure } from "@bosun/core";
import type { CodeOrigin } from "@bosun/engine";

/**
 * What a code server tells the webserver and the daemon about its code: plain JSON, no functions, so it
 * crosses gRPC and is cached by the processes that never import user code.
 */
export interface DefinitionsSnapshot {
  /** Changes whenever anything in the snapshot changes. */
  readonly contentHash: string;
  /** How a run worker loads this code (absolute file path or module name, as the code server sees it). */
  readonly origin: CodeOrigin;
  /** The code location's container context (Kubernetes settings for its runs), when it has one. */
  readonly containerContext: JsonValue | null;
  readonly jobs: readonly JobSnapshot[];
  readonly assets: readonly AssetSnapshot[];
  readonly schedules: readonly ScheduleSnapshot[];
  readonly sensors: readonly SensorSnapshot[];
  readonly resources: readonly ResourceSnapshot[];
}

/** A job's or asset's partitions as the UI shows them. */
export interface PartitionsSnapshot {
  readonly kind: "static" | "daily" | "hourly";
  /** Static keys; for time windows, the first window's start (ISO). */
  readonly keys?: readonly string[];
  readonly start?: string;
}

/** One node (step) of a job's graph: its op, outputs and where its inputs come from. */
export interface NodeSnapshot {
  /** Step key. */
  readonly name: string;
  readonly opName: string;
  readonly description: string | null;
  readonly outputs: readonly string[];
  /** Input name → upstream step keys (several for fan-in) or an upstream asset key. */
  readonly inputs: Readonly<
    Record<string, { readonly fromSteps?: readonly string[]; readonly fromAsset?: string }>
  >;
  /** Steps this one waits for without reading their outputs (an asset's array `deps`); absent when none. */
  readonly after?: readonly string[];
  readonly tags: Readonly<Record<string, JsonValue>>;
  readonly assetKey: string | null;
  /** JSON Schema of the op's config, or null when it takes none. */
  readonly configSchema: JsonValue | null;
  readonly retryPolicy: JsonValue | null;
}

/** A job as the webserver and daemon see it, without loading the user's code. */
export interface JobSnapshot {
  readonly name: string;
  readonly description: string | null;
  readonly tags: Readonly<Record<string, JsonValue>>;
  readonly executor: { readonly name: string; readonly config: JsonValue } | null;
  readonly defaultRunConfig: JsonValue;
  readonly partitions: PartitionsSnapshot | null;
  readonly assetKeys: readonly string[];
  readonly nodes: readonly NodeSnapshot[];
  /** JSON Schema of the job's whole run config, for the launchpad editor. */
  readonly runConfigSchema: JsonValue;
}

/** An asset with its dependencies resolved both ways. */
export interface AssetSnapshot {
  readonly key: string;
  readonly stepKey: string;
  readonly group: string;
  readonly description: string | null;
  readonly upstream: readonly string[];
  readonly downstream: readonly string[];
  readonly metadata: Readonly<Record<string, JsonValue>>;
  readonly partitions: PartitionsSnapshot | null;
  readonly codeVersion: string | null;
  readonly ioManagerKey: string;
}

/** A schedule: its cron, timezone, job and status when never turned on or off. */
export interface ScheduleSnapshot {
  readonly name: string;
  readonly cron: string;
  readonly timezone: string;
  readonly jobName: string;
  readonly description: string | null;
  readonly defaultStatus: "RUNNING" | "STOPPED";
}

/** A sensor: its job, minimum interval and status when never turned on or off. */
export interface SensorSnapshot {
  readonly name: string;
  readonly jobName: string;
  readonly minimumIntervalSeconds: number;
  readonly description: string | null;
  readonly defaultStatus: "RUNNING" | "STOPPED";
}

/** A resource key with its description and the JSON Schema of its config. */
export interface ResourceSnapshot {
  readonly key: string;
  readonly description: string | null;
  readonly configSchema: JsonValue | null;
}

/** The user's code failed to load: the server stays up and serves this instead of a snapshot. */
export interface LoadErrorSnapshot {
  readonly error: SerializableFailure;
}
