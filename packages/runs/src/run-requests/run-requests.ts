import { randomUUID } from "node:crypto";
import {
  isTerminalRunStatus,
  type JsonValue,
  type NewRun,
  PARENT_RUN_ID_TAG,
  PARTITION_TAG,
  ROOT_RUN_ID_TAG,
  type RunRecord,
  type RunStatus,
} from "@bosun/core";
import {
  type BosunStorage,
  type CreateRunOnceResult,
  RETRY_NUMBER_TAG,
  RunNotFoundError,
  retryIdempotencyKey,
} from "@bosun/storage";
import { AD_HOC_ASSET_JOB, type RunRequest } from "bosun";
import type { RunCodeLocation, RunCodeLocations } from "./code-locations.ts";
import { type InstigatorTick, instigatorIdempotencyKey } from "./idempotency-keys.ts";
import { planRequest } from "./plan-request.ts";
import { chooseReexecutionSteps, type ReexecutionMode } from "./reexecution-steps.ts";
import {
  AssetNotFoundError,
  JobNotFoundError,
  RunNotFinishedError,
  RunRequestFieldsError,
  RunWithoutCodeLocationError,
} from "./run-request-errors.ts";
import { RUN_KEY_TAG, runTags, SCHEDULE_NAME_TAG, SENSOR_NAME_TAG, TICK_ID_TAG } from "./run-tags.ts";

/**
 * How a new run starts: QUEUED waits for the daemon's run coordinator (storage writes its RUN_ENQUEUED
 * event with it); NOT_STARTED is for a caller that executes the run itself, right away (the CLI).
 */
export type NewRunStatus = Extract<RunStatus, "QUEUED" | "NOT_STARTED">;

/** A new run of a job, or of an asset selection (an ad-hoc asset job). */
export interface LaunchRequest {
  /** The code location; absent or null for the CLI's in-process code (the run is stored without one). */
  readonly location?: string | null;
  /** Exactly one of `jobName` and a non-empty `assetSelection`. */
  readonly jobName?: string;
  readonly assetSelection?: readonly string[];
  readonly runConfig?: JsonValue;
  /** Override the job's tags; Bosun's own tags (`bosun/partition`...) override these. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly partitionKey?: string | null;
  /** QUEUED unless given. */
  readonly status?: NewRunStatus;
}

/** A new run that re-executes a finished one, with its config, tags and partition. */
export interface ReexecuteRequest {
  readonly parentRunId: string;
  readonly mode: ReexecutionMode;
  /** Only with mode `selected`: the steps to execute (in any order; stored in plan order). */
  readonly stepKeys?: readonly string[];
  /** QUEUED unless given. */
  readonly status?: NewRunStatus;
}

/** One run request of a schedule's or sensor's evaluation. */
export interface InstigatorRunRequest {
  readonly tick: InstigatorTick;
  /** The job the schedule or sensor targets. */
  readonly jobName: string;
  readonly request: RunRequest;
  /** Its position among the evaluation's requests (keys requests that have no run key). */
  readonly index: number;
}

/** A retry the run monitor created, or found created already. */
export interface RetryResult extends CreateRunOnceResult {
  /** 1 for the first retry of a run, 2 for the retry of that retry... */
  readonly retryNumber: number;
}

/**
 * The one way to create a run. The CLI (`job execute`, `asset materialize`, `run reexecute`), the
 * webserver (launch, re-execute), the scheduler, the sensors and the run monitor's retries all come here,
 * so each rule lives once:
 *
 * - validation: the code location judges the request through its execution plan (`CodeLocationClient`),
 *   after missing jobs and assets are named with the nearest existing one; a refused request stores nothing;
 * - tags: job tags < request tags < Bosun's tags (`runTags`);
 * - re-execution: the steps are chosen from the plan the code location returns today;
 * - idempotency: a tick's requests and a failed run's retry are created once, whoever asks twice;
 * - the creating transaction: storage's `createRun` / `createRunOnce`.
 *
 * @example
 * const requests = new RunRequests({ storage, locations: workspaceLocations(workspace) });
 * const run = await requests.launch({ location: "main", jobName: "sum_job", tags: { team: "data" } });
 * const rerun = await requests.reexecute({ parentRunId: run.runId, mode: "fromFailure" });
 */
export class RunRequests {
  private readonly storage: BosunStorage;
  private readonly locations: RunCodeLocations;

  constructor(options: { readonly storage: BosunStorage; readonly locations: RunCodeLocations }) {
    this.storage = options.storage;
    this.locations = options.locations;
  }

  /** Validates and stores a new run of a job or an asset selection. */
  async launch(request: LaunchRequest): Promise<RunRecord> {
    const assetSelection =
      request.assetSelection && request.assetSelection.length > 0 ? [...request.assetSelection] : null;
    if ((request.jobName === undefined) === (assetSelection === null)) {
      throw new RunRequestFieldsError([
        { field: "jobName", message: "give either job or a non-empty assetSelection (exactly one of them)" },
      ]);
    }
    const location = this.resolve(request.location ?? null);
    if (request.jobName !== undefined) requireJob(location, request.jobName);
    for (const key of assetSelection ?? []) requireAsset(location, key);
    const partitionKey = request.partitionKey ?? null;
    const runConfig = request.runConfig ?? {};
    const plan = await planRequest(location, {
      jobName: request.jobName ?? AD_HOC_ASSET_JOB,
      assetSelection,
      runConfig,
      stepKeysToExecute: null,
      partitionKey,
    });
    return this.create({
      runId: randomUUID(),
      jobName: plan.jobName,
      status: request.status ?? "QUEUED",
      tags: runTags({
        jobTags: location.snapshot.jobs.find((job) => job.name === plan.jobName)?.tags,
        requestTags: request.tags,
        systemTags: partitionKey !== null ? { [PARTITION_TAG]: partitionKey } : {},
      }),
      runConfig,
      codeLocation: location.name,
      partitionKey,
      assetSelection: assetSelection ? [...plan.assetKeys] : null,
    });
  }

  /**
   * Stores a run that re-executes a finished one: same job, config, tags, partition and asset selection,
   * the steps `mode` chooses, linked to its parent and to the chain's root.
   */
  async reexecute(request: ReexecuteRequest): Promise<RunRecord> {
    const parent = await this.storage.runs.getRun(request.parentRunId);
    if (!parent) throw new RunNotFoundError(request.parentRunId);
    if (!isTerminalRunStatus(parent.status)) throw new RunNotFinishedError(parent.runId, parent.status);
    const location = this.locations.resolve(parent.codeLocation);
    if (!location) throw new RunWithoutCodeLocationError(parent.runId);
    // An asset run executes exactly its selected assets, whichever job name it carries.
    if (!parent.assetSelection) requireJob(location, parent.jobName);
    const target = {
      jobName: parent.jobName,
      assetSelection: parent.assetSelection,
      runConfig: parent.runConfig,
      partitionKey: parent.partitionKey,
    };
    const plan = await planRequest(location, { ...target, stepKeysToExecute: null });
    const stepKeysToExecute = chooseReexecutionSteps(
      {
        parentRunId: parent.runId,
        jobName: parent.jobName,
        planSteps: plan.steps,
        parentExecuted: parent.stepKeysToExecute,
        succeeded: request.mode === "fromFailure" ? await this.succeededSteps(parent.runId) : new Set(),
      },
      request.mode,
      request.stepKeys,
    );
    // The chosen steps are a plan of their own: the code judges that one too.
    if (stepKeysToExecute !== null) await planRequest(location, { ...target, stepKeysToExecute });
    const rootRunId = parent.rootRunId ?? parent.runId;
    return this.create({
      runId: randomUUID(),
      jobName: parent.jobName,
      status: request.status ?? "QUEUED",
      tags: runTags({
        requestTags: parent.tags,
        systemTags: { [PARENT_RUN_ID_TAG]: parent.runId, [ROOT_RUN_ID_TAG]: rootRunId },
      }),
      runConfig: parent.runConfig,
      codeLocation: parent.codeLocation,
      partitionKey: parent.partitionKey,
      assetSelection: parent.assetSelection,
      stepKeysToExecute,
      parentRunId: parent.runId,
      rootRunId,
    });
  }

  /**
   * Queues the run a schedule or sensor requested, once per idempotency key: when a run with the key
   * exists (an earlier attempt at the same tick, or the same sensor run key) it is returned instead and
   * the code location is not asked again.
   */
  async requestFromInstigator(request: InstigatorRunRequest): Promise<CreateRunOnceResult> {
    const { tick, jobName } = request;
    const idempotencyKey = instigatorIdempotencyKey(tick, request.request.runKey, request.index);
    const existing = await this.storage.runQueue.getRunByIdempotencyKey(idempotencyKey);
    if (existing) return { run: existing, created: false };
    const location = this.resolve(tick.location);
    const job = requireJob(location, jobName);
    const partitionKey = request.request.partitionKey ?? null;
    const runConfig = request.request.runConfig ?? {};
    await planRequest(location, { jobName, runConfig, partitionKey });
    return this.createOnce(
      {
        runId: randomUUID(),
        jobName,
        status: "QUEUED",
        tags: runTags({
          jobTags: job.tags,
          requestTags: request.request.tags,
          systemTags: {
            [tick.kind === "schedule" ? SCHEDULE_NAME_TAG : SENSOR_NAME_TAG]: tick.name,
            [TICK_ID_TAG]: tick.tickId,
            ...(request.request.runKey !== undefined ? { [RUN_KEY_TAG]: request.request.runKey } : {}),
            ...(partitionKey !== null ? { [PARTITION_TAG]: partitionKey } : {}),
          },
        }),
        runConfig,
        codeLocation: tick.location,
        partitionKey,
      },
      idempotencyKey,
    );
  }

  /**
   * Queues the retry of a failed run: the same job, config, partition and steps, numbered and linked to
   * the failed run. Keyed by the failed run's id, so one failure never gets two retries, whichever daemon
   * sees it. The code is not asked again: the failed run was judged when it was created.
   */
  async retry(failed: RunRecord): Promise<RetryResult> {
    const retryNumber = Number.parseInt(failed.tags[RETRY_NUMBER_TAG] ?? "0", 10) + 1;
    const rootRunId = failed.rootRunId ?? failed.runId;
    const result = await this.createOnce(
      {
        runId: randomUUID(),
        jobName: failed.jobName,
        status: "QUEUED",
        tags: runTags({
          requestTags: failed.tags,
          systemTags: {
            [RETRY_NUMBER_TAG]: String(retryNumber),
            [PARENT_RUN_ID_TAG]: failed.runId,
            [ROOT_RUN_ID_TAG]: rootRunId,
          },
        }),
        runConfig: failed.runConfig,
        codeLocation: failed.codeLocation,
        partitionKey: failed.partitionKey,
        assetSelection: failed.assetSelection,
        stepKeysToExecute: failed.stepKeysToExecute,
        parentRunId: failed.runId,
        rootRunId,
      },
      retryIdempotencyKey(failed.runId),
    );
    return { ...result, retryNumber };
  }

  private resolve(codeLocation: string | null): RunCodeLocation {
    const location = this.locations.resolve(codeLocation);
    // Only a workspace answers null, and there every new run names its location.
    if (!location) throw new RunRequestFieldsError([{ field: "location", message: "is required" }]);
    return location;
  }

  private async succeededSteps(runId: string): Promise<Set<string>> {
    const events = await this.storage.events.getEvents(runId, { types: ["STEP_SUCCESS"] });
    return new Set(events.map((event) => event.stepKey).filter((key): key is string => key !== null));
  }

  // The creating transaction: storage stores the run and its first event (RUN_ENQUEUED when QUEUED) at once.
  private create(run: NewRun): Promise<RunRecord> {
    return this.storage.runs.createRun(run);
  }

  private createOnce(run: NewRun, idempotencyKey: string): Promise<CreateRunOnceResult> {
    return this.storage.runQueue.createRunOnce(run, idempotencyKey);
  }
}

function requireJob(location: RunCodeLocation, jobName: string) {
  const job = location.snapshot.jobs.find((candidate) => candidate.name === jobName);
  if (job) return job;
  throw new JobNotFoundError(
    location.name,
    jobName,
    location.snapshot.jobs.map((candidate) => candidate.name),
  );
}

function requireAsset(location: RunCodeLocation, assetKey: string): void {
  if (location.snapshot.assets.some((asset) => asset.key === assetKey)) return;
  throw new AssetNotFoundError(
    location.name,
    assetKey,
    location.snapshot.assets.map((asset) => asset.key),
  );
}
