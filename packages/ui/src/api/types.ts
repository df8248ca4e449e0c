/**
 * The shapes of the webserver's JSON API as the browser receives them. Bosun's own types are the source
 * of truth: this file only says how the webserver turns them into JSON (dates become ISO strings) and
 * what it adds around them. Only `import type` from `@bosun/webserver/api-types`: the bundle gets no Bosun code.
 */

import type { Role } from "@bosun/core";
import type {
  AssetMaterializationRecord,
  AssetSnapshot,
  PartitionCounts as BosunPartitionCounts,
  PartitionStatus as BosunPartitionStatus,
  PartitionStatusPage as BosunPartitionStatusPage,
  PartitionStatusSummary as BosunPartitionStatusSummary,
  RunPage as BosunRunPage,
  ComputeLogChunk,
  DaemonType,
  DefinitionChanges,
  DeploymentRecord,
  EventType,
  InstigatorStatus,
  JobSnapshot,
  JsonValue,
  LocationEntry,
  LogLevel,
  NodeSnapshot,
  PartitionStatusRecord,
  PartitionsSnapshot,
  RunRecord,
  RunStatus,
  ScheduleSnapshot,
  SensorSnapshot,
  SerializableFailure,
  StoredEvent,
  TickRecord,
} from "@bosun/webserver/api-types";

export type {
  DaemonType,
  EventType,
  InstigatorKind,
  InstigatorStatus,
  JsonValue,
  LocationStatus,
  LogLevel,
  Metadata,
  MetadataValue,
  RunStatus,
  TickStatus,
} from "@bosun/webserver/api-types";

/**
 * What `JSON.stringify` makes of a Bosun value: every `Date` becomes its ISO string (`toISOString()`,
 * which is also what the webserver's `date-time` response schemas write); everything else is unchanged.
 */
export type JsonOf<T> = T extends Date
  ? string
  : T extends JsonValue
    ? T
    : T extends object
      ? { [K in keyof T]: JsonOf<T[K]> }
      : T;

// The lists below are checked against Bosun's unions: a missing or unknown member fails the typecheck.
// Key order is display order.

const RUN_STATUS_IS_TERMINAL: Readonly<Record<RunStatus, boolean>> = {
  QUEUED: false,
  NOT_STARTED: false,
  STARTING: false,
  STARTED: false,
  CANCELING: false,
  SUCCESS: true,
  FAILURE: true,
  CANCELED: true,
};

export const RUN_STATUSES = Object.keys(RUN_STATUS_IS_TERMINAL) as readonly RunStatus[];

/** False for a status this build does not know (sent by a newer webserver). */
export function isTerminalStatus(status: RunStatus): boolean {
  return RUN_STATUS_IS_TERMINAL[status] === true;
}

/** Least to most severe: the event log's level filter shows a level and everything after it. */
const LOG_LEVEL_ORDER: Readonly<Record<LogLevel, number>> = {
  debug: 0,
  info: 1,
  warning: 2,
  error: 3,
  critical: 4,
};

export const LOG_LEVELS = Object.keys(LOG_LEVEL_ORDER) as readonly LogLevel[];

/** Whether an event type is about the whole run (it moves the run's status) rather than a step. */
const EVENT_TYPE_IS_RUN_LEVEL: Readonly<Record<EventType, boolean>> = {
  RUN_ENQUEUED: true,
  RUN_STARTING: true,
  RUN_START: true,
  RUN_SUCCESS: true,
  RUN_FAILURE: true,
  RUN_CANCELING: true,
  RUN_CANCELED: true,
  STEP_START: false,
  STEP_OUTPUT: false,
  STEP_SUCCESS: false,
  STEP_FAILURE: false,
  STEP_RETRY: false,
  STEP_SKIPPED: false,
  LOADED_INPUT: false,
  HANDLED_OUTPUT: false,
  ASSET_MATERIALIZATION: false,
  LOGS_CAPTURED: false,
  LOG_MESSAGE: false,
  ENGINE_EVENT: false,
};

export const EVENT_TYPES = Object.keys(EVENT_TYPE_IS_RUN_LEVEL) as readonly EventType[];

/** False for an event type this build does not know (sent by a newer webserver). */
export function isRunLevelEvent(type: EventType): boolean {
  return EVENT_TYPE_IS_RUN_LEVEL[type] === true;
}

export type Run = JsonOf<RunRecord>;

/** A deployment as `/api/deployments` lists it. */
export type Deployment = JsonOf<DeploymentRecord>;

/** What `/api/deployments/<name>/changes` answers: what a branch deployment changes against its base. */
export type DeploymentChanges = DefinitionChanges & {
  readonly deployment: string;
  readonly base: string;
  readonly unavailable: { readonly base: readonly string[]; readonly deployment: readonly string[] };
};
export type RunPage = JsonOf<BosunRunPage>;
export type Failure = SerializableFailure;

/**
 * A stored event. Bosun types `data` per event type; the UI reads it as an open record and checks each
 * field it uses, so an event written by another Bosun version never breaks the page.
 */
export type RunEvent = Omit<StoredEvent, "data"> & { readonly data: Readonly<Record<string, unknown>> };

export interface EventPage {
  readonly events: readonly RunEvent[];
  readonly lastSeq: number;
  readonly hasMore: boolean;
}

export type LogChunk = ComputeLogChunk;

/** `GET /api/auth/me`: who is calling. */
export interface AuthMe {
  readonly authEnabled: boolean;
  readonly name: string;
  readonly kind: "user" | "agent" | "run" | "session" | "anonymous";
  readonly email: string | null;
  readonly csrfToken: string | null;
  readonly signInAvailable: boolean;
  readonly grants: readonly { readonly role: string; readonly location: string | null }[];
  readonly instancePermissions: readonly string[];
  /** For each location a grant names, the permissions held there. */
  readonly locationPermissions: Readonly<Record<string, readonly string[]>>;
}

/** An API token as `GET /api/tokens` lists it: never its secret (only a hash is stored). */
export interface ApiToken {
  readonly id: string;
  readonly name: string;
  readonly kind: "user" | "agent" | "run";
  readonly role: Role;
  /** The code location the role is granted on; null: the whole instance. */
  readonly location: string | null;
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** One mutating API call as `GET /api/audit` lists it. */
export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  /** A token's name, a signed-in user, or `anonymous`. */
  readonly actor: string;
  readonly actorKind: string;
  /** Method and route, e.g. `POST /api/runs/:id/terminate`. */
  readonly action: string;
  readonly permission: string | null;
  readonly object: string | null;
  readonly address: string | null;
  readonly decision: "allowed" | "denied";
  readonly statusCode: number;
  readonly reason: string | null;
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

/** A code location as listed: its entry without the snapshot, and how many definitions that has. */
export type CodeLocation = JsonOf<Omit<LocationEntry, "snapshot">> & {
  readonly counts: {
    readonly jobs: number;
    readonly assets: number;
    readonly schedules: number;
    readonly sensors: number;
  };
};

export type PartitionsInfo = PartitionsSnapshot;

export type JobSummary = Pick<JobSnapshot, "name" | "description" | "tags" | "partitions" | "assetKeys"> & {
  readonly location: string;
  readonly stepCount: number;
};

export type OpNode = NodeSnapshot;

/** A job with its op graph: the snapshot plus the edges the webserver derives from each node's inputs. */
export type JobDetail = JobSnapshot & {
  readonly location: string;
  readonly edges: readonly { readonly from: string; readonly to: string; readonly input: string }[];
  readonly assetInputs: readonly { readonly asset: string; readonly to: string; readonly input: string }[];
};

export type AssetMaterialization = AssetMaterializationRecord;

export type AssetDefinition = AssetSnapshot & { readonly location: string };

/** MATERIALIZED, FAILED, IN_PROGRESS or MISSING. */
export type PartitionStatus = BosunPartitionStatus;
export type PartitionCounts = BosunPartitionCounts;
/** The latest attempt at an asset (a partition of it), failed ones included. */
export type AssetAttempt = JsonOf<PartitionStatusRecord>;
export type PartitionStatusSummary = BosunPartitionStatusSummary;
export type PartitionStatusPage = JsonOf<BosunPartitionStatusPage>;

export type AssetListItem = AssetDefinition & {
  readonly latestMaterialization: AssetMaterialization | null;
  readonly lastAttempt: AssetAttempt | null;
  /** Per status, for partitioned assets; null otherwise. */
  readonly partitionCounts: PartitionCounts | null;
};

export interface AssetDetail {
  readonly key: string;
  readonly definitions: readonly AssetDefinition[];
  readonly materializations: readonly AssetMaterialization[];
  readonly lastAttempt: AssetAttempt | null;
  /** Counts and the status bar, for a partitioned asset; null otherwise. */
  readonly partitionStatus: PartitionStatusSummary | null;
}

export type Tick = JsonOf<TickRecord>;

/** What the webserver adds to a schedule's or sensor's definition: where it is, its state, its last tick. */
interface InstigatorView {
  readonly location: string;
  readonly status: InstigatorStatus;
  readonly latestTick: Tick | null;
}

export type Schedule = ScheduleSnapshot &
  InstigatorView & {
    /** ISO time of the next tick when RUNNING. */
    readonly nextTickAt: string | null;
  };

export type Sensor = SensorSnapshot &
  InstigatorView & {
    readonly cursor: string | null;
    /** ms since the epoch */
    readonly lastEvaluatedAt: number | null;
    readonly nextEvaluationAt: number | null;
  };

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
