/**
 * The shapes of the webserver's JSON API as the browser receives them (dates are ISO strings). They
 * mirror `bosun`'s run, event and snapshot types; the browser bundle never imports `bosun` itself.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type RunStatus =
  | "QUEUED"
  | "NOT_STARTED"
  | "STARTING"
  | "STARTED"
  | "CANCELING"
  | "SUCCESS"
  | "FAILURE"
  | "CANCELED";

export const RUN_STATUSES: readonly RunStatus[] = [
  "QUEUED",
  "NOT_STARTED",
  "STARTING",
  "STARTED",
  "CANCELING",
  "SUCCESS",
  "FAILURE",
  "CANCELED",
];

export const IN_PROGRESS_STATUSES: readonly RunStatus[] = ["STARTING", "STARTED", "CANCELING"];

export function isTerminalStatus(status: RunStatus): boolean {
  return status === "SUCCESS" || status === "FAILURE" || status === "CANCELED";
}

export interface Run {
  readonly runId: string;
  readonly jobName: string;
  readonly status: RunStatus;
  readonly tags: Readonly<Record<string, string>>;
  readonly runConfig: JsonValue;
  readonly codeLocation: string | null;
  readonly partitionKey: string | null;
  readonly assetSelection: readonly string[] | null;
  readonly stepKeysToExecute: readonly string[] | null;
  readonly parentRunId: string | null;
  readonly rootRunId: string | null;
  readonly launcherInfo: Readonly<Record<string, JsonValue>>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly startTime: string | null;
  readonly endTime: string | null;
}

export interface RunPage {
  readonly runs: readonly Run[];
  readonly nextCursor: string | null;
}

export interface Failure {
  readonly className: string;
  readonly message: string;
  readonly stack: string | null;
  readonly cause: Failure | null;
}

export type LogLevel = "debug" | "info" | "warning" | "error" | "critical";
export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warning", "error", "critical"];

export type EventType =
  | "RUN_ENQUEUED"
  | "RUN_STARTING"
  | "RUN_START"
  | "RUN_SUCCESS"
  | "RUN_FAILURE"
  | "RUN_CANCELING"
  | "RUN_CANCELED"
  | "STEP_START"
  | "STEP_OUTPUT"
  | "STEP_SUCCESS"
  | "STEP_FAILURE"
  | "STEP_RETRY"
  | "STEP_SKIPPED"
  | "LOADED_INPUT"
  | "HANDLED_OUTPUT"
  | "ASSET_MATERIALIZATION"
  | "LOGS_CAPTURED"
  | "LOG_MESSAGE"
  | "ENGINE_EVENT";

export const EVENT_TYPES: readonly EventType[] = [
  "RUN_ENQUEUED",
  "RUN_STARTING",
  "RUN_START",
  "RUN_SUCCESS",
  "RUN_FAILURE",
  "RUN_CANCELING",
  "RUN_CANCELED",
  "STEP_START",
  "STEP_OUTPUT",
  "STEP_SUCCESS",
  "STEP_FAILURE",
  "STEP_RETRY",
  "STEP_SKIPPED",
  "LOADED_INPUT",
  "HANDLED_OUTPUT",
  "ASSET_MATERIALIZATION",
  "LOGS_CAPTURED",
  "LOG_MESSAGE",
  "ENGINE_EVENT",
];

export type MetadataValue =
  | { readonly type: "int" | "float"; readonly value: number }
  | { readonly type: "text"; readonly value: string }
  | { readonly type: "bool"; readonly value: boolean }
  | { readonly type: "url" | "path"; readonly value: string }
  | { readonly type: "json"; readonly value: JsonValue }
  | {
      readonly type: "table";
      readonly columns: readonly string[];
      readonly rows: readonly (readonly JsonValue[])[];
    };

export type Metadata = Readonly<Record<string, MetadataValue>>;

/** A stored event. `data` depends on `type`; readers pick the fields they know (see `eventFailure`). */
export interface RunEvent {
  readonly seq: number;
  readonly runId: string;
  readonly type: EventType;
  /** ms since the epoch */
  readonly timestamp: number;
  readonly stepKey: string | null;
  readonly level: LogLevel;
  readonly message: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface EventPage {
  readonly events: readonly RunEvent[];
  readonly lastSeq: number;
  readonly hasMore: boolean;
}

export interface LogChunk {
  readonly data: string;
  readonly nextOffset: number;
}

export interface ServerInfo {
  readonly name: string;
  readonly version: string;
  readonly readOnly: boolean;
  readonly canTerminateStartedRuns: boolean;
  readonly storage: string;
  readonly locations: number;
  readonly node: string;
}

export type LocationStatus = "LOADING" | "LOADED" | "ERROR";

export interface CodeLocation {
  readonly name: string;
  readonly status: LocationStatus;
  readonly address: string;
  readonly serverId: string | null;
  readonly updatedAt: string;
  readonly error: Failure | null;
  readonly counts: {
    readonly jobs: number;
    readonly assets: number;
    readonly schedules: number;
    readonly sensors: number;
  };
}

export interface PartitionsInfo {
  readonly kind: "static" | "daily" | "hourly";
  readonly keys?: readonly string[];
  readonly start?: string;
}

export interface JobSummary {
  readonly location: string;
  readonly name: string;
  readonly description: string | null;
  readonly tags: Readonly<Record<string, JsonValue>>;
  readonly partitions: PartitionsInfo | null;
  readonly assetKeys: readonly string[];
  readonly stepCount: number;
}

export interface OpNode {
  readonly name: string;
  readonly opName: string;
  readonly description: string | null;
  readonly outputs: readonly string[];
  readonly inputs: Readonly<
    Record<string, { readonly fromSteps?: readonly string[]; readonly fromAsset?: string }>
  >;
  readonly tags: Readonly<Record<string, JsonValue>>;
  readonly assetKey: string | null;
  readonly configSchema: JsonValue | null;
  readonly retryPolicy: JsonValue | null;
}

export interface JobDetail {
  readonly location: string;
  readonly name: string;
  readonly description: string | null;
  readonly tags: Readonly<Record<string, JsonValue>>;
  readonly executor: { readonly name: string; readonly config: JsonValue } | null;
  readonly defaultRunConfig: JsonValue;
  readonly partitions: PartitionsInfo | null;
  readonly assetKeys: readonly string[];
  readonly nodes: readonly OpNode[];
  readonly runConfigSchema: JsonValue;
  readonly edges: readonly { readonly from: string; readonly to: string; readonly input: string }[];
  readonly assetInputs: readonly { readonly asset: string; readonly to: string; readonly input: string }[];
}

export interface AssetMaterialization {
  readonly assetKey: string;
  readonly partitionKey: string | null;
  readonly runId: string;
  readonly seq: number;
  readonly timestamp: number;
  readonly metadata: Metadata;
}

export interface AssetDefinition {
  readonly key: string;
  readonly stepKey: string;
  readonly group: string;
  readonly description: string | null;
  readonly upstream: readonly string[];
  readonly downstream: readonly string[];
  readonly metadata: Readonly<Record<string, JsonValue>>;
  readonly partitions: PartitionsInfo | null;
  readonly codeVersion: string | null;
  readonly ioManagerKey: string;
  readonly location: string;
}

export interface AssetListItem extends AssetDefinition {
  readonly latestMaterialization: AssetMaterialization | null;
}

export interface AssetDetail {
  readonly key: string;
  readonly definitions: readonly AssetDefinition[];
  readonly materializations: readonly AssetMaterialization[];
}

export type InstigatorKind = "schedule" | "sensor";
export type InstigatorStatus = "RUNNING" | "STOPPED";
export type TickStatus = "STARTED" | "SUCCESS" | "SKIPPED" | "FAILURE";

export interface Tick {
  readonly tickId: string;
  readonly kind: InstigatorKind;
  readonly location: string;
  readonly name: string;
  readonly tickKey: string;
  readonly status: TickStatus;
  readonly timestamp: number;
  readonly runIds: readonly string[];
  readonly runKeys: readonly string[];
  readonly skipReason: string | null;
  readonly error: Failure | null;
  readonly cursor: string | null;
  readonly createdAt: string;
  readonly endedAt: string | null;
}

interface InstigatorBase {
  readonly name: string;
  readonly jobName: string;
  readonly description: string | null;
  readonly defaultStatus: InstigatorStatus;
  readonly location: string;
  readonly status: InstigatorStatus;
  readonly latestTick: Tick | null;
}

export interface Schedule extends InstigatorBase {
  readonly cron: string;
  readonly timezone: string;
  readonly nextTickAt: string | null;
}

export interface Sensor extends InstigatorBase {
  readonly minimumIntervalSeconds: number;
  readonly cursor: string | null;
  readonly lastEvaluatedAt: number | null;
  readonly nextEvaluationAt: number | null;
}

export type DaemonType = "RUN_QUEUE" | "SCHEDULER" | "SENSOR" | "RUN_MONITOR" | "RETENTION";

export interface DaemonHealth {
  readonly healthy: boolean;
  readonly toleranceSeconds: number;
  readonly daemons: readonly {
    readonly daemonType: DaemonType;
    readonly healthy: boolean;
    readonly lastHeartbeat: string | null;
    readonly daemonIds: readonly string[];
    readonly errors: readonly Failure[];
  }[];
}

export interface QueueInfo {
  readonly queuedCount: number;
  readonly inProgressCount: number;
  readonly queued: readonly Run[];
  readonly inProgress: readonly Run[];
  /** Why a queued run waits (run id → the limit that holds it), when the webserver knows the limits. */
  readonly holds?: Readonly<Record<string, string>>;
  /** Run coordinator limits, when the webserver reports them. */
  readonly limits?: {
    readonly maxConcurrentRuns?: number | null;
    readonly tagConcurrencyLimits?: readonly {
      readonly key: string;
      readonly value?: string;
      readonly limit: number;
      readonly perUniqueValue?: boolean;
    }[];
  };
}

/** `{ error: { code, message, details } }`, the API's one error body. */
export interface ApiErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details?: Readonly<Record<string, unknown>>;
  };
}

export interface FieldIssue {
  readonly field?: string;
  readonly path?: string;
  readonly message: string;
}
