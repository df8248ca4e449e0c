import { hostname } from "node:os";
import {
  didYouMean,
  isTerminalRunStatus,
  newEvent,
  type RunStatus,
  toSerializableFailure,
} from "@bosun/core";
import type { ComputeLogSettings } from "@bosun/instance";
import type { BosunStorage } from "@bosun/storage";
import {
  DATABASE_URL_ENV,
  DEFAULT_OUTAGE_TOLERANCE_MS,
  RunNotFoundError,
  StorageOutageError,
  WORKER_LAUNCH_ATTEMPT_KEY,
} from "@bosun/storage";
import type { Definitions } from "bosun";
import { DEFAULT_IO_MANAGER_KEY, type IoManager, isIoManager, multiprocessExecutor } from "bosun";
import { type CodeOrigin, loadDefinitions } from "../code-location/load-definitions.ts";
import { EventWriter } from "../events/event-writer.ts";
import { type ExecutorFactory, type ExecutorLoaders, IO_REACH_ORDER } from "./executors/executor-registry.ts";
import { findExecutor } from "./executors/find-executor.ts";
import { orchestrateSteps } from "./orchestrate-steps.ts";
import { type PreparedRun, prepareRun } from "./prepare-run.ts";
import { resolveOutputSources } from "./reexecution.ts";
import { deepMerge, RunConfigError } from "./run-config.ts";
import { startRunHeartbeat } from "./run-heartbeat.ts";
import { openStepSession, type StepSession } from "./step-session.ts";

/**
 * Options of `executeRun`: the run, its code and storage, the steps' environment, cancellation and plugin
 * executors.
 */
export interface ExecuteRunOptions {
  readonly storage: BosunStorage;
  readonly bosunHome: string;
  readonly runId: string;
  readonly origin: CodeOrigin;
  /** Already-loaded definitions of `origin` (saves loading them twice). */
  readonly definitions?: Definitions;
  /**
   * Environment for processes started for this run's steps. Its `BOSUN_DATABASE_URL` is also where the
   * worker's heartbeat thread connects (needed unless `heartbeatIntervalMs` is 0).
   */
  readonly childEnv: Readonly<Record<string, string>>;
  /** Aborting it cancels the run: running steps are interrupted and the run ends CANCELED. */
  readonly signal?: AbortSignal;
  /**
   * The launch attempt this worker was started for. Given, the worker claims it before anything else
   * and throws `LaunchSupersededError`, running nothing, when it cannot (another worker has the run, or
   * a daemon relaunched it meanwhile). Absent (a run executed in the calling process), nothing is claimed.
   */
  readonly launchAttempt?: number;
  /**
   * How often the worker writes its heartbeat for the daemon's run monitor, from a thread of its own that
   * busy ops do not hold up; 0 turns it off. Default 1 s.
   */
  readonly heartbeatIntervalMs?: number;
  /**
   * `compute_logs` of the instance's `bosun.yaml`, for steps run in this process and in the executor's
   * worker processes (default: the section's defaults). `Instance.computeLogs` fits.
   */
  readonly computeLogs?: ComputeLogSettings;
  /**
   * `storage.outage_tolerance_seconds` in ms (`Instance.outageToleranceMs`): how long the worker waits out
   * a database outage before the run fails. Default 120 s.
   */
  readonly outageToleranceMs?: number;
  /** Executors beyond the built-in ones (from the `bosun` command's plugins), by name. */
  readonly executors?: ExecutorLoaders;
}

/** A run worker's launch attempt is not the run's to take: a daemon relaunched the run, or another worker claimed it. */
export class LaunchSupersededError extends Error {
  constructor(
    readonly runId: string,
    readonly launchAttempt: number,
    readonly currentAttempt: number,
  ) {
    super(
      currentAttempt === launchAttempt
        ? `run ${runId}: launch attempt ${launchAttempt} was already claimed by another worker; this one runs nothing`
        : `run ${runId}: launch attempt ${launchAttempt} was superseded by attempt ${currentAttempt} (a daemon relaunched the run); this worker runs nothing`,
    );
    this.name = "LaunchSupersededError";
  }
}

export class IoManagerReachError extends Error {
  constructor(
    readonly ioManagerKey: string,
    readonly reach: string,
    readonly executorName: string,
    readonly required: string,
  ) {
    super(
      `IO manager "${ioManagerKey}" keeps outputs within one ${reach}, but executor "${executorName}" runs steps apart (needs ${required} reach): use ${required === "cluster" ? "postgresIoManager() or an object-store IO manager" : "fsIoManager() or postgresIoManager()"} for "${ioManagerKey}"`,
    );
    this.name = "IoManagerReachError";
  }
}

/**
 * The run worker: executes a stored run to a terminal status. Everything it does is recorded as events;
 * it returns the final status instead of throwing for failures of the run itself.
 */
export async function executeRun(options: ExecuteRunOptions): Promise<RunStatus> {
  if (options.launchAttempt !== undefined)
    await claimLaunch(options.storage, options.runId, options.launchAttempt);
  const heartbeat = startRunHeartbeat({
    databaseUrl: options.childEnv[DATABASE_URL_ENV],
    runId: options.runId,
    ...(options.heartbeatIntervalMs !== undefined ? { intervalMs: options.heartbeatIntervalMs } : {}),
  });
  try {
    return await executeRunToEnd(options);
  } finally {
    await heartbeat.stop();
  }
}

/** Claims the run's launch attempt for this worker, or throws why it cannot run the run. */
async function claimLaunch(storage: BosunStorage, runId: string, launchAttempt: number): Promise<void> {
  if (await storage.launches.claim(runId, launchAttempt)) return;
  const current = await storage.launches.currentAttempt(runId);
  if (current === null) throw new RunNotFoundError(runId);
  // One worker per attempt: a claim of our own attempt that failed was our own, retried after its
  // acknowledgement was lost in a database outage.
  if (current === launchAttempt) return;
  // Likewise for the one worker a relaunch adopted (its Job existed already: see LaunchStorage).
  const run = await storage.runs.getRun(runId);
  if (run?.launcherInfo[WORKER_LAUNCH_ATTEMPT_KEY] === launchAttempt) return;
  throw new LaunchSupersededError(runId, launchAttempt, current);
}

async function executeRunToEnd(options: ExecuteRunOptions): Promise<RunStatus> {
  const { storage, runId } = options;
  const signal = options.signal ?? new AbortController().signal;
  const run = await storage.runs.getRun(runId);
  if (!run) throw new RunNotFoundError(runId);
  if (isTerminalRunStatus(run.status)) return run.status;

  const outageToleranceMs = options.outageToleranceMs ?? DEFAULT_OUTAGE_TOLERANCE_MS;
  const events = new EventWriter(storage.events, { outageToleranceMs });
  const finish = async (
    status: "SUCCESS" | "FAILURE" | "CANCELED",
    detail?: { reason: string; error?: unknown },
  ) => {
    if (status === "SUCCESS")
      events.emit(
        newEvent(runId, "RUN_SUCCESS", {
          message: `Finished execution of run for "${run.jobName}".`,
          data: {},
        }),
      );
    else if (status === "CANCELED")
      events.emit(
        newEvent(runId, "RUN_CANCELED", {
          message: `Run canceled: ${detail?.reason ?? "termination requested"}`,
          data: { reason: detail?.reason },
        }),
      );
    else {
      const failure = detail?.error === undefined ? undefined : toSerializableFailure(detail.error);
      events.emit(
        newEvent(runId, "RUN_FAILURE", {
          level: "error",
          message: `Run failed: ${detail?.reason ?? "steps failed"}`,
          data: { reason: detail?.reason ?? "steps failed", ...(failure ? { failure } : {}) },
        }),
      );
    }
    await flushLastEvents(events);
    return status;
  };

  if (run.status === "CANCELING" || signal.aborted)
    return finish("CANCELED", { reason: "canceled before it started" });

  let prepared: PreparedRun;
  let outputSources: Map<string, string>;
  let definitions: Definitions;
  try {
    definitions = options.definitions ?? (await loadDefinitions(options.origin));
    prepared = prepareRun(definitions, run);
    outputSources = await resolveOutputSources(storage, run, prepared.plan);
  } catch (error) {
    return finish("FAILURE", { reason: (error as Error)?.message ?? String(error), error });
  }

  events.emit(
    newEvent(runId, "RUN_START", {
      message: `Started execution of run for "${run.jobName}".`,
      data: { pid: process.pid, host: hostname() },
    }),
  );
  await events.flush();

  const session = openStepSession({
    storage,
    definitions,
    run,
    bosunHome: options.bosunHome,
    outputSources,
    signal,
    prepared,
    events,
    outageToleranceMs,
    ...(options.computeLogs ? { computeLogs: options.computeLogs } : {}),
  });
  let outcome: "success" | "failure" | "canceled";
  try {
    const { factory, config } = await resolveExecutor(definitions, prepared, options.executors);
    await checkIoReach(session, prepared, factory);
    const launcher = await factory.createLauncher({
      run,
      plan: prepared.plan,
      config,
      origin: options.origin,
      bosunHome: options.bosunHome,
      outputSources,
      events,
      childEnv: options.childEnv,
      session,
      storage,
    });
    try {
      outcome = await orchestrateSteps({ runId, plan: prepared.plan, launcher, events, signal });
    } finally {
      await launcher.close();
    }
  } catch (error) {
    await session.close().catch(() => undefined);
    return finish("FAILURE", { reason: (error as Error)?.message ?? String(error), error });
  }
  try {
    await session.close();
  } catch (error) {
    if (!(error instanceof StorageOutageError)) throw error;
    return finish("FAILURE", { reason: error.message, error });
  }
  if (outcome === "success") return finish("SUCCESS");
  if (outcome === "canceled") return finish("CANCELED", { reason: "termination requested" });
  return finish("FAILURE", { reason: "one or more steps failed" });
}

/**
 * Stores the run's last events. When an outage outlasted the tolerance (the run is failing for it),
 * the writer keeps what it holds and this waits one more tolerance period for the database, so the run's
 * end and its reason are stored if the server comes back meanwhile; else the worker exits with the error
 * and the daemon's run monitor ends the run once the database is back.
 */
async function flushLastEvents(events: EventWriter): Promise<void> {
  try {
    await events.flush();
  } catch (error) {
    if (!(error instanceof StorageOutageError)) throw error;
    await events.flush();
  }
}

async function resolveExecutor(
  definitions: Definitions,
  prepared: PreparedRun,
  loaders: ExecutorLoaders | undefined,
): Promise<{ factory: ExecutorFactory<unknown>; config: unknown }> {
  const executor = prepared.job.executor ?? definitions.executor ?? multiprocessExecutor();
  const factory = await findExecutor(executor.name, loaders);
  const merged = deepMerge(executor.config, prepared.config.execution);
  const parsed = factory.configSchema.safeParse(merged);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => {
      const path = ["execution", "config", ...issue.path.map(String)].join(".");
      if (issue.code === "unrecognized_keys") {
        const known = Object.keys((factory.configSchema as { shape?: object }).shape ?? {});
        return {
          path,
          message: issue.keys.map((k) => `unknown key "${k}"${didYouMean(k, known)}`).join("; "),
        };
      }
      return { path, message: issue.message };
    });
    throw new RunConfigError(issues);
  }
  return { factory, config: parsed.data };
}

/** Refuses, before any step runs, a run whose outputs could not travel between its steps. */
async function checkIoReach(
  session: StepSession,
  prepared: PreparedRun,
  factory: ExecutorFactory<unknown>,
): Promise<void> {
  const keys = new Set<string>([DEFAULT_IO_MANAGER_KEY]);
  for (const step of prepared.plan.steps)
    if (prepared.plan.executed.has(step.key)) keys.add(step.computation.ioManagerKey);
  const required = IO_REACH_ORDER.indexOf(factory.requiredIoReach);
  for (const key of keys) {
    const used = prepared.plan.steps.some((s) => s.computation.ioManagerKey === key);
    if (!used) continue;
    const manager = (await session.runtime.resources.get(key)) as IoManager;
    if (!isIoManager(manager)) continue;
    if (IO_REACH_ORDER.indexOf(manager.reach) < required) {
      throw new IoManagerReachError(key, manager.reach, factory.name, factory.requiredIoReach);
    }
  }
}
