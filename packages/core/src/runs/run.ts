/**
 * Run lifecycle.
 *
 * QUEUED     created by the webserver or CLI, waiting for the run coordinator to admit it.
 * NOT_STARTED created to be executed directly (the CLI's `job execute`), no queue involved.
 * STARTING   a launcher has been asked to start the run worker (a process or a Kubernetes Job).
 * STARTED    the run worker is executing steps.
 * CANCELING  termination was requested; the worker is interrupting its steps.
 * SUCCESS / FAILURE / CANCELED  terminal; nothing moves a run out of them.
 */
export type RunStatus =
  | "QUEUED"
  | "NOT_STARTED"
  | "STARTING"
  | "STARTED"
  | "CANCELING"
  | "SUCCESS"
  | "FAILURE"
  | "CANCELED";

/** Every run status. */
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

/** The statuses a run never leaves: SUCCESS, FAILURE and CANCELED. */
export const TERMINAL_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(["SUCCESS", "FAILURE", "CANCELED"]);

/**
 * Runs a worker is (or is being) started for: they occupy a slot of the queue's concurrency limits and
 * the run monitor watches them.
 */
export const IN_PROGRESS_RUN_STATUSES = [
  "STARTING",
  "STARTED",
  "CANCELING",
] as const satisfies readonly RunStatus[];

/** True when `status` is terminal (SUCCESS, FAILURE or CANCELED). */
export function isTerminalRunStatus(status: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.has(status);
}

/** Which steps of a job a run executes, and where prior outputs come from on re-execution. */
export interface StepSelection {
  /** Step keys to execute; absent means every step of the plan. */
  readonly stepKeys?: readonly string[];
}

/** A value that survives `JSON.stringify` and `JSON.parse` unchanged: run config, tags, metadata. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A run as stored. Tags are string to string, as in Kubernetes labels; structured tag values are JSON text. */
export interface RunRecord {
  readonly runId: string;
  readonly jobName: string;
  readonly status: RunStatus;
  readonly tags: Readonly<Record<string, string>>;
  readonly runConfig: JsonValue;
  /** Code location that owns the job, when launched through a workspace. */
  readonly codeLocation: string | null;
  readonly partitionKey: string | null;
  /** Asset keys (slash-joined) selected, for asset jobs. */
  readonly assetSelection: readonly string[] | null;
  /** Step keys selected for (re-)execution; null means all. */
  readonly stepKeysToExecute: readonly string[] | null;
  /** The run this one re-executes, and the first run of that chain. */
  readonly parentRunId: string | null;
  readonly rootRunId: string | null;
  /** Opaque launcher facts (Kubernetes Job name, image, process id...). */
  readonly launcherInfo: Readonly<Record<string, JsonValue>>;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly startTime: Date | null;
  readonly endTime: Date | null;
}

/** What creating a run takes: id, job name and status, the rest optional. */
export type NewRun = Pick<RunRecord, "runId" | "jobName" | "status"> &
  Partial<
    Pick<
      RunRecord,
      | "tags"
      | "runConfig"
      | "codeLocation"
      | "partitionKey"
      | "assetSelection"
      | "stepKeysToExecute"
      | "parentRunId"
      | "rootRunId"
    >
  >;
