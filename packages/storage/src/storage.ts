import type {
  EventType,
  JsonValue,
  Metadata,
  NewEvent,
  NewRun,
  OutputBlobStorage,
  RunRecord,
  RunStatus,
  StoredEvent,
} from "@bosun/core";
import type { AgentStorage } from "./agent-storage.ts";
import type { AssetStatusStorage } from "./asset-status-storage.ts";
import type { AuthStorage } from "./auth-storage.ts";
import type { DesiredLocationsStorage } from "./desired-locations-storage.ts";
import type {
  DaemonHeartbeatStorage,
  InstigatorStorage,
  RunWorkerHeartbeatStorage,
} from "./instigator-storage.ts";
import type { LaunchStorage } from "./launch-storage.ts";
import type { RetentionStorage } from "./retention-storage.ts";
import type { RunQueueStorage } from "./run-queue-storage.ts";
import type { SessionStorage } from "./session-storage.ts";
import type { Subscription } from "./subscription.ts";

export type { Subscription };

/**
 * Storage interfaces. The engine, daemon and API see only these: no connection, transaction or SQL type
 * crosses them. PostgreSQL implements them (`storage/postgres/`); one contract suite tests any
 * implementation (`storage/storage-contract.ts`).
 */

export interface RunFilter {
  readonly statuses?: readonly RunStatus[];
  readonly jobName?: string;
  /** Every given tag must match exactly. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly runIds?: readonly string[];
  /** Only runs of these code locations (an empty list matches none). */
  readonly codeLocations?: readonly string[];
  readonly createdAfter?: Date;
  readonly createdBefore?: Date;
}

/** One page of `listRuns`, newest first. */
export interface RunPage {
  readonly runs: readonly RunRecord[];
  /** Opaque; pass back to get the next (older) page. Null when there is none. */
  readonly nextCursor: string | null;
}

/** Run records: creation, lookup, listing and the launcher's notes. */
export interface RunStorage {
  /** Throws `RunAlreadyExistsError` when the id is taken. */
  createRun(run: NewRun): Promise<RunRecord>;
  getRun(runId: string): Promise<RunRecord | null>;
  /**
   * Ids of runs whose id starts with `prefix` (taken literally: `%` and `_` are no wildcards), in id
   * order, at most `limit` of them. Behind `resolveRunId`, which lets people type a few characters.
   */
  findRunIdsByPrefix(prefix: string, limit: number): Promise<readonly string[]>;
  /** Newest first, keyset-paginated (stable under concurrent inserts). */
  listRuns(
    filter: RunFilter,
    page: { readonly limit: number; readonly cursor?: string | null },
  ): Promise<RunPage>;
  countRuns(filter: RunFilter): Promise<number>;
  /** Shallow-merges facts from the launcher (Kubernetes Job name, image, pid) into the run. */
  mergeLauncherInfo(runId: string, info: Readonly<Record<string, JsonValue>>): Promise<void>;
}

/** Which events of a run `getEvents` returns. */
export interface EventQuery {
  /** Only events with `seq` greater than this. */
  readonly afterSeq?: number;
  readonly limit?: number;
  readonly types?: readonly EventType[];
  readonly stepKey?: string;
}

/** One materialization of an asset (partition): the run and event that produced it, and its metadata. */
export interface AssetMaterializationRecord {
  readonly assetKey: string;
  readonly partitionKey: string | null;
  readonly runId: string;
  readonly seq: number;
  readonly timestamp: number;
  readonly metadata: Metadata;
}

/** Options of an append that may be retried. */
export interface WriteOptions {
  /**
   * Idempotency key of this batch, unique per writer and batch (e.g. a writer id and the batch's
   * number): the batch is stored at most once under it, however often it is retried.
   */
  readonly batchKey?: string;
}

/** The event log: the record of what happened in each run, and the source of its status. */
export interface EventLogStorage {
  /**
   * Stores a batch in order, atomically. Run-level events move the run's status (a terminal status never
   * changes again) and set its start and end times; asset materializations update the asset index; run
   * starts and ends and materializations of asset runs update partition status (`AssetStatusStorage`); then
   * listeners of the run are notified. With a `batchKey`, a batch whose key is stored already is not
   * stored again (the result is then empty): a retry after a lost acknowledgement adds nothing.
   */
  appendEvents(events: readonly NewEvent[], options?: WriteOptions): Promise<readonly StoredEvent[]>;
  getEvents(runId: string, query?: EventQuery): Promise<readonly StoredEvent[]>;
  /**
   * Calls `onEvents` with every event of the run after `afterSeq`, in order, first with those already
   * stored and then live as they are appended (from any process).
   */
  watchEvents(
    runId: string,
    afterSeq: number,
    onEvents: (events: readonly StoredEvent[]) => void,
  ): Promise<Subscription>;
  /** Latest materialization per asset key (and per partition when `byPartition`). */
  latestMaterializations(
    assetKeys?: readonly string[],
    options?: { readonly byPartition?: boolean },
  ): Promise<readonly AssetMaterializationRecord[]>;
  materializationHistory(
    assetKey: string,
    options?: { readonly partitionKey?: string; readonly limit?: number },
  ): Promise<readonly AssetMaterializationRecord[]>;
}

/** Which output stream of a step a compute log holds. */
export type LogStream = "stdout" | "stderr";

/** A slice of a compute log, with the offset to read on from. */
export interface ComputeLogChunk {
  readonly data: string;
  /** Byte offset to pass back to read what comes next. */
  readonly nextOffset: number;
}

/**
 * Per-step stdout/stderr, kept after the process that wrote them is gone. An object-store backend can
 * implement the same interface.
 */
export interface ComputeLogStorage {
  /** Appends `data` to the stream; with a `batchKey`, at most once under that key. */
  append(
    runId: string,
    stepKey: string,
    stream: LogStream,
    data: string,
    options?: WriteOptions,
  ): Promise<void>;
  read(runId: string, stepKey: string, stream: LogStream, fromOffset?: number): Promise<ComputeLogChunk>;
  /** Calls `onData` with what is stored from `fromOffset` on, then live as it is appended. */
  watch(
    runId: string,
    stepKey: string,
    stream: LogStream,
    fromOffset: number,
    onData: (chunk: ComputeLogChunk) => void,
  ): Promise<Subscription>;
  stepKeysWithLogs(runId: string): Promise<readonly string[]>;
  /** Bytes stored so far for the stream (0 when none). */
  size(runId: string, stepKey: string, stream: LogStream): Promise<number>;
}

export type { OutputBlobStorage };

/** Everything Bosun stores, one interface per concern; `PostgresStorage` implements it. */
export interface BosunStorage {
  readonly runs: RunStorage;
  readonly events: EventLogStorage;
  /** Partition status per asset, kept by the event log as it stores events. */
  readonly assetStatus: AssetStatusStorage;
  readonly computeLogs: ComputeLogStorage;
  readonly outputs: OutputBlobStorage;
  /** The run queue: idempotent run creation, admission, retries (the daemon's run coordinator and monitor). */
  readonly runQueue: RunQueueStorage;
  /** Launch attempts, worker claims and daemon leases: launches that survive a daemon crash. */
  readonly launches: LaunchStorage;
  /** Schedule and sensor state and ticks. */
  readonly instigators: InstigatorStorage;
  /** Daemon loop heartbeats and run worker heartbeats. */
  readonly heartbeats: DaemonHeartbeatStorage & RunWorkerHeartbeatStorage;
  /** Deleting old runs and ticks (the daemon's RETENTION loop). */
  readonly retention: RetentionStorage;
  /** API tokens (hashed) and the audit log. */
  readonly auth: AuthStorage;
  /** Sign-in sessions (hashed ids). */
  readonly sessions: SessionStorage;
  /** Hybrid mode: agents and the requests leased to them. */
  readonly agents: AgentStorage;
  /** Hybrid mode: each deployment's desired code locations, versioned. */
  readonly desiredLocations: DesiredLocationsStorage;
  /** Where it lives, for messages: host, port and database, never a password. */
  describe(): string;
  close(): Promise<void>;
}
