import type { SerializableFailure } from "@bosun/core";

/**
 * Schedules and sensors ("instigators"), their ticks, and daemon heartbeats. Implemented in PostgreSQL
 * by `storage/postgres/`; the daemon writes, the webserver reads and toggles.
 */

export type InstigatorKind = "schedule" | "sensor";
/** Whether a schedule or sensor is turned on. */
export type InstigatorStatus = "RUNNING" | "STOPPED";

/** Stored state of one schedule or sensor of one code location. */
export interface InstigatorState {
  readonly kind: InstigatorKind;
  readonly location: string;
  readonly name: string;
  readonly status: InstigatorStatus;
  /** Sensors: the cursor their last evaluation returned. */
  readonly cursor: string | null;
  /** Sensors: when they were last evaluated (ms since epoch), to honour their minimum interval. */
  readonly lastEvaluatedAt: number | null;
  readonly updatedAt: Date;
}

/**
 * Tick lifecycle: STARTED when the daemon claims the tick (its unique key makes a second daemon's claim
 * fail), then SUCCESS (runs requested), SKIPPED (nothing to do, or every run key already used) or FAILURE
 * (evaluation or launch error, kept with the tick).
 */
export type TickStatus = "STARTED" | "SUCCESS" | "SKIPPED" | "FAILURE";

/** The statuses a tick ends in; only finished ticks are ever purged. */
export type FinishedTickStatus = Exclude<TickStatus, "STARTED">;

/** One tick of a schedule or sensor: when, what it did (runs, skip reason, error) and its status. */
export interface TickRecord {
  readonly tickId: string;
  readonly kind: InstigatorKind;
  readonly location: string;
  readonly name: string;
  /** Unique per instigator: schedules use the scheduled time (ISO), sensors an evaluation id. */
  readonly tickKey: string;
  readonly status: TickStatus;
  /** The scheduled time for schedules; the evaluation time for sensors (ms since epoch). */
  readonly timestamp: number;
  readonly runIds: readonly string[];
  readonly runKeys: readonly string[];
  readonly skipReason: string | null;
  readonly error: SerializableFailure | null;
  readonly cursor: string | null;
  readonly createdAt: Date;
  readonly endedAt: Date | null;
}

/** A tick to record, before its outcome is known. */
export interface NewTick {
  readonly kind: InstigatorKind;
  readonly location: string;
  readonly name: string;
  readonly tickKey: string;
  readonly timestamp: number;
}

/** A tick's outcome. */
export interface TickUpdate {
  readonly status: FinishedTickStatus;
  readonly runIds?: readonly string[];
  readonly runKeys?: readonly string[];
  readonly skipReason?: string | null;
  readonly error?: SerializableFailure | null;
  readonly cursor?: string | null;
}

/** Schedule and sensor state (status, cursor) and their ticks. */
export interface InstigatorStorage {
  /** Null when never stored (the definition's default status then applies). */
  getState(kind: InstigatorKind, location: string, name: string): Promise<InstigatorState | null>;
  listStates(kind?: InstigatorKind): Promise<readonly InstigatorState[]>;
  setStatus(
    kind: InstigatorKind,
    location: string,
    name: string,
    status: InstigatorStatus,
  ): Promise<InstigatorState>;
  /** Stores a sensor's cursor and evaluation time. */
  setSensorCursor(location: string, name: string, cursor: string | null, evaluatedAt: number): Promise<void>;
  /** Claims a tick. Returns null when a tick with the same key already exists (another daemon has it). */
  claimTick(tick: NewTick): Promise<TickRecord | null>;
  finishTick(tickId: string, update: TickUpdate): Promise<TickRecord>;
  /** The tick with this key, whatever its status (to resume one whose daemon died mid-way). */
  getTickByKey(
    kind: InstigatorKind,
    location: string,
    name: string,
    tickKey: string,
  ): Promise<TickRecord | null>;
  /** Newest first. */
  listTicks(
    kind: InstigatorKind,
    location: string,
    name: string,
    options?: { readonly limit?: number; readonly before?: number },
  ): Promise<readonly TickRecord[]>;
  /** Latest tick of each instigator (for the overview and the daemon's catch-up). */
  latestTick(kind: InstigatorKind, location: string, name: string): Promise<TickRecord | null>;
}

/** The daemon's loops. */
export type DaemonType = "RUN_QUEUE" | "SCHEDULER" | "SENSOR" | "RUN_MONITOR" | "RETENTION";

/** One daemon loop's sign of life, with the errors of its last iteration. */
export interface DaemonHeartbeat {
  readonly daemonType: DaemonType;
  /** Unique per daemon process. */
  readonly daemonId: string;
  readonly timestamp: Date;
  /** Errors of the loop's last iteration (empty when healthy). */
  readonly errors: readonly SerializableFailure[];
}

/** Daemon heartbeats, read by the webserver to show which loops are healthy. */
export interface DaemonHeartbeatStorage {
  writeHeartbeat(heartbeat: DaemonHeartbeat): Promise<void>;
  /** Latest heartbeat per daemon type and id. */
  listHeartbeats(): Promise<readonly DaemonHeartbeat[]>;
}

/** Run workers report liveness so the run monitor can tell a dead worker from a slow one. */
export interface RunWorkerHeartbeatStorage {
  writeRunHeartbeat(runId: string, at: Date): Promise<void>;
  /** Runs in STARTED or STARTING whose last heartbeat is older than `olderThan` (or that never beat). */
  runsWithStaleHeartbeat(
    olderThan: Date,
  ): Promise<readonly { readonly runId: string; readonly lastHeartbeat: Date | null }[]>;
}
