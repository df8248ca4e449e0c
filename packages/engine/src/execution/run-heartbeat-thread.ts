/**
 * The run worker's heartbeat thread, started by `startRunHeartbeat` (run-heartbeat.ts): it writes the
 * run's heartbeat at once and then every interval, from its own event loop and over its own database
 * connection, so that an op keeping the main thread busy cannot stop the beats. On "stop" it finishes
 * the write in flight, closes its connection and ends.
 *
 * The tsx hooks the `bosun` command registers on the main thread do not reach worker threads: Node loads
 * this file (and the protocol file) by stripping their types, so they keep to syntax it can strip, and
 * tsx is registered here before @bosun/storage, which needs it, is loaded.
 */
import { enableCompileCache } from "node:module";
import { parentPort, workerData } from "node:worker_threads";
import {
  HEARTBEAT_THREAD_READY,
  HEARTBEAT_THREAD_STOP,
  type RunHeartbeatThreadData,
} from "./run-heartbeat-protocol.ts";

const { databaseUrl, runId, intervalMs } = workerData as RunHeartbeatThreadData;
const port = parentPort;
if (!port) throw new Error("run-heartbeat-thread.ts runs as a worker thread of a run worker");

// As the `bosun` command does: reuse compiled code across workers, most of this thread's start-up.
enableCompileCache?.();
const { register } = await import("tsx/esm/api");
register();
const { openRunHeartbeatConnection } = await import("@bosun/storage");

const connection = openRunHeartbeatConnection({ connectionString: databaseUrl });
let writing: Promise<void> | null = null;
const beat = () => {
  // One write at a time: while the database is unreachable, beats are skipped rather than queued.
  if (writing) return;
  writing = connection.heartbeats
    .writeRunHeartbeat(runId, new Date())
    // A failed write is harmless: the next beat tries again.
    .catch(() => undefined)
    .finally(() => {
      writing = null;
    });
};
beat();
const timer = setInterval(beat, intervalMs);

port.on("message", (message: unknown) => {
  if (message !== HEARTBEAT_THREAD_STOP) return;
  clearInterval(timer);
  void (async () => {
    await writing;
    await connection.close().catch(() => undefined);
    // Nothing left to keep the thread's event loop alive once the port is closed: the thread ends.
    port.close();
  })();
});
port.postMessage(HEARTBEAT_THREAD_READY);
