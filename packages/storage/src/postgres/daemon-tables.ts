import type { ColumnType, Generated, Kysely } from "kysely";
import type { Database, RunsTable } from "./database.ts";

/**
 * Kysely's view of the tables and columns added by migration 0002 (the daemon's), kept apart from
 * `database.ts` so the daemon's storage can grow without touching the rest.
 */
export interface DaemonDatabase extends Omit<Database, "runs"> {
  runs: RunsTable & {
    idempotency_key: string | null;
    /** Generated from the `bosun/priority` tag. */
    priority: ColumnType<number, never, never>;
    /** Migration 0006: the run's current launch attempt, its owning daemon and how far it got. */
    launch_attempt: Generated<number>;
    launch_owner: string | null;
    launch_state: "ADMITTED" | "LAUNCHED" | "CLAIMED" | null;
  };
  instigator_states: InstigatorStatesTable;
  instigator_ticks: InstigatorTicksTable;
  daemon_heartbeats: DaemonHeartbeatsTable;
  run_worker_heartbeats: RunWorkerHeartbeatsTable;
}

type Jsonb<T> = ColumnType<T, string, string>;

export interface InstigatorStatesTable {
  kind: string;
  location: string;
  name: string;
  status: string;
  cursor: string | null;
  last_evaluated_at: Date | null;
  updated_at: Generated<Date>;
}

export interface InstigatorTicksTable {
  /** bigserial; the pool parses int8 as number. */
  id: Generated<number>;
  kind: string;
  location: string;
  name: string;
  tick_key: string;
  status: string;
  timestamp: Date;
  run_ids: ColumnType<string[], string[] | undefined, string[]>;
  run_keys: ColumnType<string[], string[] | undefined, string[]>;
  skip_reason: string | null;
  error: Jsonb<unknown> | null;
  cursor: string | null;
  created_at: Generated<Date>;
  ended_at: Date | null;
}

export interface DaemonHeartbeatsTable {
  daemon_type: string;
  daemon_id: string;
  timestamp: Date;
  errors: Jsonb<unknown[]>;
}

export interface RunWorkerHeartbeatsTable {
  run_id: string;
  timestamp: Date;
}

/** The same connection pool, typed with the daemon's tables. */
export function daemonDb(db: Kysely<Database>): Kysely<DaemonDatabase> {
  return db as unknown as Kysely<DaemonDatabase>;
}
