import type { BosunStorage, DaemonHeartbeatStorage, InstigatorStorage, Workspace } from "bosun";

/** Stops a run: the daemon's `terminateRun(storage, launcher, runId)` bound to this deployment's launcher. */
export type TerminateRun = (runId: string) => Promise<unknown>;

/** What every route reads. Nothing here is per-request state: replicas sharing a database agree. */
export interface WebserverContext {
  readonly storage: BosunStorage;
  readonly workspace: Workspace;
  readonly readOnly: boolean;
  readonly terminateRun: TerminateRun | null;
  /** Schedules, sensors and ticks; null until the storage provides them (routes then answer 503). */
  readonly instigators: InstigatorStorage | null;
  readonly heartbeats: DaemonHeartbeatStorage | null;
  /** Interval of SSE heartbeat comments. */
  readonly sseHeartbeatMs: number;
  /** A daemon whose last heartbeat is older than this is unhealthy. */
  readonly daemonHeartbeatToleranceMs: number;
  readonly now: () => Date;
}
