/**
 * What the run worker's main thread and its heartbeat thread say to each other (run-heartbeat.ts and
 * run-heartbeat-thread.ts). Node loads the thread's files without tsx, so this file keeps to
 * TypeScript that Node can strip by itself: types and plain values, no parameter properties or enums.
 */

/** What the heartbeat thread is given (its `workerData`). */
export interface RunHeartbeatThreadData {
  readonly databaseUrl: string;
  readonly runId: string;
  readonly intervalMs: number;
}

/** Sent by the heartbeat thread once its first write is under way: from then on it has a connection to close. */
export const HEARTBEAT_THREAD_READY = "ready";

/** Sent to the heartbeat thread to make it finish its write in flight, close its connection and end. */
export const HEARTBEAT_THREAD_STOP = "stop";
