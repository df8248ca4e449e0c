import { Worker } from "node:worker_threads";
import {
  HEARTBEAT_THREAD_READY,
  HEARTBEAT_THREAD_STOP,
  type RunHeartbeatThreadData,
} from "./run-heartbeat-protocol.ts";

/** Default interval between two heartbeats of a run worker (`run_monitoring.worker_heartbeat_interval_seconds`). */
export const DEFAULT_RUN_HEARTBEAT_INTERVAL_MS = 1_000;

/**
 * How long `stop()` lets the thread finish its write in flight and close its connection before ending it:
 * a write stuck on an unreachable database must not hold up the end of the run.
 */
const STOP_GRACE_MS = 2_000;

export interface RunHeartbeatOptions {
  /** The database to write to (the worker's `BOSUN_DATABASE_URL`); needed unless `intervalMs` is 0. */
  readonly databaseUrl: string | undefined;
  readonly runId: string;
  /** 0 turns heartbeats off. Default `DEFAULT_RUN_HEARTBEAT_INTERVAL_MS`. */
  readonly intervalMs?: number;
}

export interface RunHeartbeat {
  /** Ends the heartbeat thread; when it resolves, no more heartbeats are written. */
  stop(): Promise<void>;
}

/** `startRunHeartbeat` was asked for heartbeats without a database to write them to. */
export class HeartbeatDatabaseMissingError extends Error {
  constructor(readonly runId: string) {
    super(
      `run ${runId}: the heartbeat thread needs the database URL (BOSUN_DATABASE_URL in the run's childEnv), or heartbeats turned off (heartbeatIntervalMs: 0)`,
    );
    this.name = "HeartbeatDatabaseMissingError";
  }
}

/**
 * Writes the run worker's heartbeat now and then every `intervalMs` until stopped, so the daemon's run
 * monitor can tell a dead worker from a slow one. The beats come from a worker thread with its own
 * database connection (run-heartbeat-thread.ts): an op that keeps the main thread busy for longer than
 * the heartbeat timeout (a large JSON.parse, a CPU loop) does not stop them, and a beat proves what it
 * should, that the worker process is alive. The thread is unreferenced, so it never keeps the process
 * alive, and it dies with the process. A failed write is ignored: the next one may succeed, and a worker
 * that cannot reach the database for long is rightly presumed lost.
 */
export function startRunHeartbeat(options: RunHeartbeatOptions): RunHeartbeat {
  const intervalMs = options.intervalMs ?? DEFAULT_RUN_HEARTBEAT_INTERVAL_MS;
  if (intervalMs <= 0) return { stop: async () => {} };
  if (!options.databaseUrl) throw new HeartbeatDatabaseMissingError(options.runId);
  const workerData: RunHeartbeatThreadData = {
    databaseUrl: options.databaseUrl,
    runId: options.runId,
    intervalMs,
  };
  const thread = new Worker(new URL("./run-heartbeat-thread.ts", import.meta.url), { workerData });
  let ready = false;
  const exited = new Promise<void>((resolve) => thread.once("exit", () => resolve()));
  thread.on("message", (message: unknown) => {
    if (message === HEARTBEAT_THREAD_READY) ready = true;
  });
  thread.on("error", (error: Error) => {
    process.stderr.write(
      `run ${options.runId}: the heartbeat thread failed, so this worker writes no more heartbeats and the daemon's run monitor will presume it lost: ${error.message}\n`,
    );
  });
  // Last: adding a "message" listener refs the thread again.
  thread.unref();
  let stopping: Promise<void> | null = null;
  const stop = async () => {
    // A thread still loading has no write to finish nor connection to close.
    if (!ready) {
      await thread.terminate();
      return;
    }
    // Hold the process open until the thread has closed its connection (or the grace is over).
    thread.ref();
    thread.postMessage(HEARTBEAT_THREAD_STOP);
    const grace = setTimeout(() => void thread.terminate(), STOP_GRACE_MS);
    await exited;
    clearTimeout(grace);
  };
  return {
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}
