import type { JsonValue, RunRecord } from "@bosun/core";

/**
 * Launch intent: what makes a daemon crash between admitting a run and starting its worker harmless.
 *
 * Each admission of a run is a numbered launch attempt (the first is 1), owned by the daemon that admitted
 * it. An attempt goes ADMITTED (the run is STARTING; no worker is known) → LAUNCHED (the launcher started a
 * worker and the owner recorded it) → CLAIMED (the worker took the run, before running anything). Workers
 * get their attempt number and claim it atomically; a worker whose attempt is no longer the run's current
 * one (or already claimed) exits without running a step. So a run never has two workers running steps,
 * whatever crashes.
 *
 * Each daemon holds a lease while it lives (`holdLease`: a PostgreSQL session lock, freed by the server
 * the moment the daemon's connection closes, kill -9 included). An attempt still ADMITTED whose owner
 * holds no lease was abandoned: another daemon takes it over (`takeOverAbandoned`) as a new attempt and
 * launches it. A LAUNCHED attempt is never taken over: its worker is known, and the run monitor watches it.
 *
 * A launcher may find, on relaunching, that the worker of the abandoned attempt exists after all and that
 * starting another is impossible (Kubernetes refuses a second Job of the run's name). It then adopts that
 * worker: it records the launch of the new attempt with `WORKER_LAUNCH_ATTEMPT_KEY` naming the attempt
 * the worker was started for, and that worker's claim is accepted in place of the current attempt's.
 * Only one worker exists, so one claim still wins.
 */
export interface LaunchStorage {
  /**
   * Takes the lease of `owner` (a daemon id) and keeps it, reconnecting when the connection drops, until
   * released. Resolves once it is held.
   */
  holdLease(owner: string): Promise<LaunchLease>;
  /**
   * Makes every STARTING run whose current attempt is ADMITTED and whose owner holds no lease a new
   * attempt owned by `owner` (at most `limit` runs), with an ENGINE_EVENT saying so, and returns them.
   */
  takeOverAbandoned(owner: string, limit: number): Promise<readonly LaunchAttempt[]>;
  /**
   * Merges the launcher's facts about the worker of `attempt` into the run's launcher info and marks the
   * attempt LAUNCHED, unless `attempt` is no longer the run's current one. Resolves to whether it did.
   */
  recordLaunch(runId: string, attempt: number, info: Readonly<Record<string, JsonValue>>): Promise<boolean>;
  /**
   * The worker's claim: marks the run's current attempt CLAIMED if nobody claimed it and `attempt` is
   * that attempt, or the attempt of the worker its launch adopted (`WORKER_LAUNCH_ATTEMPT_KEY` in the
   * recorded launcher info). Resolves to whether this call claimed it; a worker that did not must not
   * run the run.
   */
  claim(runId: string, attempt: number): Promise<boolean>;
  /** The run's current launch attempt (0 when it was never admitted), or null when there is no such run. */
  currentAttempt(runId: string): Promise<number | null>;
}

/** A run and the launch attempt its next worker must claim. */
export interface LaunchAttempt {
  readonly run: RunRecord;
  readonly attempt: number;
  /** The daemon that owned the attempt before, for messages; null when none was recorded. */
  readonly previousOwner: string | null;
}

/** A daemon's lease: while held, no other daemon takes over the launches it owns. */
export interface LaunchLease {
  /** False while the connection holding it is down (it is being taken again). */
  readonly held: boolean;
  release(): Promise<void>;
}

/**
 * The launcher info key (`recordLaunch`) naming the launch attempt the recorded worker was started for,
 * when a launcher adopted the worker of an earlier attempt instead of starting one (see `LaunchStorage`).
 */
export const WORKER_LAUNCH_ATTEMPT_KEY = "workerLaunchAttempt";

/** The number of the launch attempt an admission makes. */
export const FIRST_LAUNCH_ATTEMPT = 1;
