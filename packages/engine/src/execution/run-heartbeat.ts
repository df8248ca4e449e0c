import type { RunWorkerHeartbeatStorage } from "@bosun/storage";

/** Default interval between two heartbeats of a run worker (`run_monitoring.worker_heartbeat_interval_seconds`). */
export const DEFAULT_RUN_HEARTBEAT_INTERVAL_MS = 1_000;

export interface RunHeartbeat {
  stop(): Promise<void>;
}

/**
 * Writes the run worker's heartbeat now and then every `intervalMs` until stopped, so the daemon's run
 * monitor can tell a dead or hung worker from a slow one. A failed write is ignored: the next one may
 * succeed, and a worker that cannot reach the database for long is rightly presumed lost.
 */
export function startRunHeartbeat(
  storage: RunWorkerHeartbeatStorage,
  runId: string,
  intervalMs: number = DEFAULT_RUN_HEARTBEAT_INTERVAL_MS,
): RunHeartbeat {
  if (intervalMs <= 0) return { stop: async () => {} };
  let writing: Promise<void> = Promise.resolve();
  const beat = () => {
    writing = writing.then(() => storage.writeRunHeartbeat(runId, new Date()).catch(() => undefined));
  };
  beat();
  const timer = setInterval(beat, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await writing;
    },
  };
}
