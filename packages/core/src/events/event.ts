import type { SerializableFailure } from "../errors/serializable-failure.ts";
import type { JsonValue, RunStatus } from "../runs/run.ts";

/** Level of an event or log message, lowest first. */
export type LogLevel = "debug" | "info" | "warning" | "error" | "critical";

/** A value shown with a materialization or an output: numbers, text, tables, links, JSON. */
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

/** Metadata of an output or materialization: a value per label. */
export type Metadata = Readonly<Record<string, MetadataValue>>;

/**
 * The data each event type carries. The event log is the source of truth for a run's history:
 * run status changes are derived from RUN_* events in the same transaction that stores them.
 */
export interface EventDataByType {
  RUN_ENQUEUED: Record<string, never>;
  RUN_STARTING: Record<string, never>;
  RUN_START: { readonly pid?: number; readonly host?: string };
  RUN_SUCCESS: Record<string, never>;
  RUN_FAILURE: { readonly reason: string; readonly failure?: SerializableFailure };
  RUN_CANCELING: { readonly reason?: string };
  RUN_CANCELED: { readonly reason?: string };
  STEP_START: { readonly attempt: number; readonly pid?: number };
  STEP_OUTPUT: { readonly outputName: string; readonly metadata?: Metadata };
  STEP_SUCCESS: { readonly durationMs: number };
  STEP_FAILURE: {
    readonly failure: SerializableFailure;
    readonly attempt: number;
    readonly retriesExhausted: boolean;
  };
  STEP_RETRY: { readonly failure: SerializableFailure; readonly attempt: number; readonly delayMs: number };
  STEP_SKIPPED: { readonly reason: string };
  LOADED_INPUT: {
    readonly inputName: string;
    readonly fromStepKey: string;
    readonly fromOutput: string;
    readonly ioManager: string;
  };
  HANDLED_OUTPUT: { readonly outputName: string; readonly ioManager: string };
  ASSET_MATERIALIZATION: {
    readonly assetKey: string;
    readonly partitionKey: string | null;
    readonly metadata: Metadata;
  };
  LOGS_CAPTURED: {
    readonly stepKeys: readonly string[];
    readonly logKey: string;
    /** The attempt whose output this is, and where it ends in each stream (bytes); absent in events of older versions. */
    readonly attempt?: number;
    readonly logEnd?: { readonly stdout: number; readonly stderr: number };
  };
  LOG_MESSAGE: { readonly fields?: Readonly<Record<string, JsonValue>> };
  ENGINE_EVENT: {
    readonly detail?: Readonly<Record<string, JsonValue>>;
    readonly failure?: SerializableFailure;
  };
}

/** The type of an event: a key of `EventDataByType`. */
export type EventType = keyof EventDataByType;

/** Every event type. */
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

/** An event before storage gives it its sequence number. */
export type NewEvent = {
  [T in EventType]: {
    readonly runId: string;
    readonly type: T;
    /** Milliseconds since the epoch, taken where the event happened. */
    readonly timestamp: number;
    readonly stepKey: string | null;
    readonly level: LogLevel;
    readonly message: string;
    readonly data: EventDataByType[T];
  };
}[EventType];

/** An event as stored: `seq` orders all events of all runs; within a run it is strictly increasing. */
export type StoredEvent = NewEvent & { readonly seq: number };

/** The event shape of one type, its `data` typed. */
export type EventOf<T extends EventType> = Extract<NewEvent, { type: T }>;

/**
 * Run status each run-level event moves the run to. RUN_ENQUEUED moves nothing: storage writes it with
 * the QUEUED run itself, and a late copy must never move a started run back.
 */
export const RUN_STATUS_BY_EVENT: Partial<Record<EventType, RunStatus>> = {
  RUN_STARTING: "STARTING",
  RUN_START: "STARTED",
  RUN_SUCCESS: "SUCCESS",
  RUN_FAILURE: "FAILURE",
  RUN_CANCELING: "CANCELING",
  RUN_CANCELED: "CANCELED",
};
